package io.tollgate.wallet;

import io.tollgate.infra.http.ProblemException;
import io.tollgate.infra.http.ProblemType;
import io.tollgate.pricing.Pricing;
import java.util.HashSet;
import java.util.List;
import java.util.regex.Pattern;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

/** Request bodies of the wallet feature and their checks, all done before anything is written. */
public final class WalletRequests {
    static final int CHANNELS_MAX = 100;
    static final int NAME_MAX_CHARS = 200;
    static final int REASON_MAX_CHARS = 200;
    static final Pattern CHANNEL = Pattern.compile("[A-Za-z0-9+._:@-]{1,64}");

    private WalletRequests() {
    }

    @Schema(name = "WalletCreate", description = "A new wallet, at balance 0.")
    public record Create(
            @Schema(description = "ISO 4217 code known to the JDK; never changes.", required = true, examples = "USD") String currency,
            @Schema(description = "Display name, at most 200 characters (code points), no control characters. Default `\"\"`.") String name,
            @Schema(description = "Debits are approved while `balance − amount ≥ floor`; within ±(2^53−1). Default 0; negative = "
                    + "a credit limit.") Long floorMicros,
            @Schema(description = "Automated traffic is declined below this balance unless auto-recharge is on; within ±(2^53−1). "
                    + "Default 5000000.") Long automationFloorMicros,
            @Schema(description = "Channels debits may name: at most 100, distinct, each `[A-Za-z0-9+._:@-]{1,64}`. Default `[]` = any.")
            List<String> channels,
            @Schema(description = "Auto-recharge; default off. `enabled: true` needs `thresholdMicros` and `amountMicros`; "
                    + "`paymentMethodId` is set later with PATCH.") AutoRechargeSettings autoRecharge) {
        void validate() {
            if (!Currencies.isIso4217(currency)) {
                throw invalid("currency must be an ISO 4217 code such as USD");
            }
            checkCommon(name, floorMicros, automationFloorMicros, channels, autoRecharge);
            if (autoRecharge != null && Boolean.TRUE.equals(autoRecharge.enabled())
                    && (autoRecharge.thresholdMicros() == null || autoRecharge.amountMicros() == null)) {
                throw invalid("an enabled autoRecharge needs thresholdMicros and amountMicros");
            }
            if (autoRecharge != null && autoRecharge.paymentMethodId() != null) {
                throw invalid("set autoRecharge.paymentMethodId with PATCH once the wallet exists (until then the default method is used)");
            }
        }
    }

    /** Auto-recharge settings; in a PATCH, fields left out stay as they are. An empty paymentMethodId means the default. */
    @Schema(description = "Auto-recharge settings; in a PATCH, fields left out keep their stored values.")
    public record AutoRechargeSettings(
            @Schema(description = "Turn auto-recharge on or off; on needs a threshold and an amount (sent or stored). Turning it "
                    + "on also clears `status: failing`.") Boolean enabled,
            @Schema(description = "Top up when the balance is at or below this; within ±(2^53−1).") Long thresholdMicros,
            @Schema(description = "How much each top-up adds, 1 … 2^53−1.") Long amountMicros,
            @Schema(description = "PATCH only: one of the tenant's payment methods, or `\"\"` for the tenant's default.") String paymentMethodId) {
    }

    /** Emergency top-up settings; in a PATCH, fields left out stay as they are. */
    @Schema(description = "Emergency top-up settings; fields left out keep their stored values.")
    public record EmergencyTopUpSettings(
            @Schema(description = "Turn emergency top-ups on or off; on needs a target and a cap (sent or stored).") Boolean enabled,
            @Schema(description = "The balance an emergency top-up aims for, 1 … 2^53−1.") Long targetMicros,
            @Schema(description = "The most one emergency top-up adds, 1 … 2^53−1.") Long capMicros) {
        void validate() {
            if (targetMicros != null) {
                requireAmount("emergencyTopUp.targetMicros", targetMicros);
            }
            if (capMicros != null) {
                requireAmount("emergencyTopUp.capMicros", capMicros);
            }
        }
    }

    /** Fields left out stay as they are. The currency of a wallet never changes. */
    @Schema(name = "WalletPatch", description = "Changes to a wallet's settings: at least one field; fields left out (or null) "
            + "stay as they are. The currency cannot change.")
    public record Patch(
            @Schema(description = "Display name, as for create.") String name,
            @Schema(description = "The floor, as for create.") Long floorMicros,
            @Schema(description = "The automation floor, as for create.") Long automationFloorMicros,
            @Schema(description = "Replaces the channel list; `[]` allows any channel.") List<String> channels,
            @Schema(description = "Partial: each field left out keeps its stored value. A stored threshold or amount can be "
                    + "replaced, not removed.") AutoRechargeSettings autoRecharge,
            @Schema(description = "Partial: each field left out keeps its stored value.") EmergencyTopUpSettings emergencyTopUp,
            @Schema(description = "`active` or `suspended`.") WalletStatus status) {
        void validate() {
            checkCommon(name, floorMicros, automationFloorMicros, channels, autoRecharge);
            if (emergencyTopUp != null) {
                emergencyTopUp.validate();
            }
            if (autoRecharge != null && autoRecharge.paymentMethodId() != null && !autoRecharge.paymentMethodId().isEmpty()
                    && !io.tollgate.infra.Ids.isWellFormed(autoRecharge.paymentMethodId())) {
                throw invalid("autoRecharge.paymentMethodId is not a payment method id");
            }
            if (name == null && floorMicros == null && automationFloorMicros == null && channels == null
                    && autoRecharge == null && emergencyTopUp == null && status == null) {
                throw invalid("nothing to change");
            }
        }
    }

    @Schema(description = "Why money is credited: `support` (a support credit), `promotion` or `adjustment`.")
    public enum CreditCategory { support, promotion, adjustment }

    /** A credit without a payment provider: support credits, promotions, adjustments in the tenant's favour. */
    @Schema(name = "CreditRequest", description = "Funds added without a payment provider.")
    public record Credit(
            @Schema(description = "The amount to add, 1 … 2^53−1 micros.", required = true, examples = "20000000") Long amountMicros,
            @Schema(description = "ISO 4217 code; if given, must be the wallet's currency.", examples = "USD") String currency,
            @Schema(description = "Why, for people: 1–200 characters, not blank.", required = true, examples = "Refund for outage 2026-11-20")
            String reason,
            @Schema(description = "The kind of credit.", required = true) CreditCategory category) {
        void validate() {
            requireAmount("amountMicros", amountMicros);
            if (currency != null && !Currencies.isIso4217(currency)) {
                throw invalid("currency must be an ISO 4217 code");
            }
            if (reason == null || reason.isBlank() || reason.length() > REASON_MAX_CHARS) {
                throw invalid("reason is required, 1.." + REASON_MAX_CHARS + " characters");
            }
            if (category == null) {
                throw invalid("category is required: support, promotion or adjustment");
            }
        }
    }

    /** An amount of money the caller asks to move: a whole number of micros, 1..2^53-1. */
    public static void requireAmount(String field, Long micros) {
        if (micros == null) {
            throw invalid(field + " is required");
        }
        if (micros < 1 || micros > Pricing.MAX_MICROS) {
            throw invalid(field + " must be a whole number of micros, 1.." + Pricing.MAX_MICROS);
        }
    }

    private static void checkCommon(String name, Long floor, Long automationFloor, List<String> channels,
            AutoRechargeSettings autoRecharge) {
        if (name != null && (name.codePointCount(0, name.length()) > NAME_MAX_CHARS || name.chars().anyMatch(Character::isISOControl))) {
            throw invalid("name must be at most " + NAME_MAX_CHARS + " characters without control characters");
        }
        requireSigned("floorMicros", floor);
        requireSigned("automationFloorMicros", automationFloor);
        if (channels != null) {
            if (channels.size() > CHANNELS_MAX || new HashSet<>(channels).size() != channels.size()) {
                throw invalid("channels must be at most " + CHANNELS_MAX + " distinct entries");
            }
            for (String channel : channels) {
                if (channel == null || !CHANNEL.matcher(channel).matches()) {
                    throw invalid("channel '" + channel + "' must match " + CHANNEL.pattern());
                }
            }
        }
        if (autoRecharge != null) {
            requireSigned("autoRecharge.thresholdMicros", autoRecharge.thresholdMicros());
            if (autoRecharge.amountMicros() != null) {
                requireAmount("autoRecharge.amountMicros", autoRecharge.amountMicros());
            }
        }
    }

    private static void requireSigned(String field, Long micros) {
        if (micros != null && (micros > Pricing.MAX_MICROS || micros < -Pricing.MAX_MICROS)) {
            throw invalid(field + " must be within ±" + Pricing.MAX_MICROS);
        }
    }

    static ProblemException invalid(String detail) {
        return new ProblemException(ProblemType.INVALID_REQUEST, detail);
    }
}
