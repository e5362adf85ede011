package io.tollgate.wallet;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

/**
 * A wallet as its owner sees it. {@code availableMicros} is what manual traffic may still spend
 * (balance − floor); automated traffic stops at the automation floor unless auto-recharge is on.
 */
public record Wallet(String id, String tenantId, String name, String currency, long balanceMicros,
        long availableMicros, long floorMicros, long automationFloorMicros, WalletStatus status,
        List<String> channels, AutoRecharge autoRecharge, EmergencyTopUp emergencyTopUp, boolean lowBalance,
        boolean depleted, long seq, long createdAtMillis, long updatedAtMillis,
        @JsonInclude(JsonInclude.Include.NON_EMPTY) List<String> warnings) {

    /**
     * "When the balance is at or below thresholdMicros, add amountMicros" with the given payment method (null: the
     * tenant's default). {@code status} is failing after automatic top-ups failed too often in a row; auto-recharge
     * is then off until the owner turns it on again.
     */
    public record AutoRecharge(boolean enabled, Long thresholdMicros, Long amountMicros, String paymentMethodId, String status) {
    }

    /** At or below zero, add what brings the balance back to targetMicros, at most capMicros, even with auto-recharge off. */
    public record EmergencyTopUp(boolean enabled, Long targetMicros, Long capMicros) {
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
