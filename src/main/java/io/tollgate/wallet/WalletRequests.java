package io.tollgate.wallet;

import io.tollgate.infra.http.ProblemException;
import io.tollgate.infra.http.ProblemType;
import io.tollgate.pricing.Pricing;
import java.util.HashSet;
import java.util.List;
import java.util.regex.Pattern;

/** Request bodies of the wallet feature and their checks, all done before anything is written. */
public final class WalletRequests {
    static final int CHANNELS_MAX = 100;
    static final int NAME_MAX_CHARS = 200;
    static final int REASON_MAX_CHARS = 200;
    static final Pattern CHANNEL = Pattern.compile("[A-Za-z0-9+._:@-]{1,64}");

    private WalletRequests() {
    }

    public record Create(String currency, String name, Long floorMicros, Long automationFloorMicros,
            List<String> channels, AutoRechargeSettings autoRecharge) {
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
    public record AutoRechargeSettings(Boolean enabled, Long thresholdMicros, Long amountMicros, String paymentMethodId) {
    }

    /** Emergency top-up settings; in a PATCH, fields left out stay as they are. */
    public record EmergencyTopUpSettings(Boolean enabled, Long targetMicros, Long capMicros) {
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
    public record Patch(String name, Long floorMicros, Long automationFloorMicros, List<String> channels,
            AutoRechargeSettings autoRecharge, EmergencyTopUpSettings emergencyTopUp, WalletStatus status) {
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

    public enum CreditCategory { support, promotion, adjustment }

    /** A credit without a payment provider: support credits, promotions, adjustments in the tenant's favour. */
    public record Credit(Long amountMicros, String currency, String reason, CreditCategory category) {
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
