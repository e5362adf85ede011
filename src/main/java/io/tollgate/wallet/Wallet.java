package io.tollgate.wallet;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

/**
 * A wallet as its owner sees it. {@code availableMicros} is what manual traffic may still spend
 * (balance − floor); automated traffic stops at the automation floor unless auto-recharge is on.
 */
@Schema(description = "A wallet: balance, floors and settings. Amounts are integer micros of the wallet's currency (1 USD = 1000000).")
public record Wallet(
        @Schema(description = "The wallet's id: `w_` and 20 characters of `a–z2–7`.", examples = "w_oi6b2x2bevhswndenz5c") String id,
        @Schema(description = "The tenant that owns the wallet.") String tenantId,
        @Schema(description = "Display name; `\"\"` if none.") String name,
        @Schema(description = "ISO 4217 code of the wallet's currency; never changes.", examples = "USD") String currency,
        @Schema(description = "The balance in micros; may be negative.") long balanceMicros,
        @Schema(description = "`balanceMicros − floorMicros`: what manual traffic may still spend.") long availableMicros,
        @Schema(description = "Debits are approved while `balance − amount ≥ floor`; negative = a credit limit.") long floorMicros,
        @Schema(description = "Automated traffic is declined below this balance unless auto-recharge is on.") long automationFloorMicros,
        @Schema(description = "`suspended` declines outbound traffic; usage that already happened is still recorded.") WalletStatus status,
        @Schema(description = "Channels debits may name; `[]` = any.") List<String> channels,
        @Schema(description = "Automatic top-up when the balance falls to a threshold.") AutoRecharge autoRecharge,
        @Schema(description = "Top-up at or below zero, even with auto-recharge off.") EmergencyTopUp emergencyTopUp,
        @Schema(description = "`balance.low` fired and is not re-armed yet (funds arriving above the threshold re-arm it).") boolean lowBalance,
        @Schema(description = "`balance.depleted` fired and is not re-armed yet (funds taking the balance above 0 re-arm it).") boolean depleted,
        @Schema(description = "Sequence number of the wallet's last event.") long seq,
        @Schema(description = "When the wallet was created, epoch milliseconds.") long createdAtMillis,
        @Schema(description = "When the settings last changed, epoch milliseconds (money movements do not change it).") long updatedAtMillis,
        @Schema(description = "Only in answers to create and PATCH: settings that are allowed but advised against "
                + "(an auto-recharge amount not above its threshold).")
        @JsonInclude(JsonInclude.Include.NON_EMPTY) List<String> warnings) {

    /**
     * "When the balance is at or below thresholdMicros, add amountMicros" with the given payment method (null: the
     * tenant's default). {@code status} is failing after automatic top-ups failed too often in a row; auto-recharge
     * is then off until the owner turns it on again.
     */
    @Schema(description = "When the balance is at or below `thresholdMicros`, add `amountMicros` with the payment method.")
    public record AutoRecharge(
            @Schema(description = "Whether auto-recharge is on.") boolean enabled,
            @Schema(description = "The balance at or below which a top-up starts; null if never set.") Long thresholdMicros,
            @Schema(description = "How much each top-up adds; null if never set.") Long amountMicros,
            @Schema(description = "The payment method charged; null = the tenant's default method.") String paymentMethodId,
            @Schema(description = "`ok`, or `failing` after automatic top-ups failed too often in a row: auto-recharge was then "
                    + "turned off until an owner enables it again.", enumeration = {"ok", "failing"}) String status) {
    }

    /** At or below zero, add what brings the balance back to targetMicros, at most capMicros, even with auto-recharge off. */
    @Schema(description = "At or below zero, add what brings the balance back to `targetMicros`, at most `capMicros`.")
    public record EmergencyTopUp(
            @Schema(description = "Whether emergency top-ups are on.") boolean enabled,
            @Schema(description = "The balance an emergency top-up aims for; null if never set.") Long targetMicros,
            @Schema(description = "The most one emergency top-up adds; null if never set.") Long capMicros) {
    }

    public Wallet withWarnings(List<String> newWarnings) {
        return new Wallet(id, tenantId, name, currency, balanceMicros, availableMicros, floorMicros, automationFloorMicros,
                status, channels, autoRecharge, emergencyTopUp, lowBalance, depleted, seq, createdAtMillis, updatedAtMillis,
                newWarnings);
    }

    static Wallet fromHash(String id, Map<String, String> h) {
        long balance = Long.parseLong(h.get("bal"));
        long floor = Long.parseLong(h.get("floor"));
        return new Wallet(id, h.get("tenant"), h.getOrDefault("name", ""), h.get("currency"), balance,
                balance - floor, floor, Long.parseLong(h.get("afloor")), WalletStatus.parse(h.get("status")),
                channels(h.get("ch")),
                new AutoRecharge("1".equals(h.get("ar")), optionalLong(h.get("arth")), optionalLong(h.get("aramt")),
                        emptyToNull(h.get("arpm")), "failing".equals(h.get("arst")) ? "failing" : "ok"),
                new EmergencyTopUp("1".equals(h.get("em")), optionalLong(h.get("emtgt")), optionalLong(h.get("emcap"))),
                "1".equals(h.get("lowf")), "1".equals(h.get("depf")), Long.parseLong(h.get("seq")),
                Long.parseLong(h.get("created")), Long.parseLong(h.get("updated")), List.of());
    }

    static String encodeChannels(List<String> channels) {
        return channels == null || channels.isEmpty() ? "" : "|" + String.join("|", channels) + "|";
    }

    private static List<String> channels(String encoded) {
        if (encoded == null || encoded.isEmpty()) {
            return List.of();
        }
        return Arrays.stream(encoded.substring(1, encoded.length() - 1).split("\\|")).toList();
    }

    private static String emptyToNull(String text) {
        return text == null || text.isEmpty() ? null : text;
    }

    private static Long optionalLong(String text) {
        return text == null || text.isEmpty() ? null : Long.parseLong(text);
    }
}
