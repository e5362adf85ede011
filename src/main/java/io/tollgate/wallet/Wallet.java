package io.tollgate.wallet;

import java.util.Arrays;
import java.util.List;
import java.util.Map;

/**
 * A wallet as its owner sees it. {@code availableMicros} is what manual traffic may still spend
 * (balance − floor); automated traffic stops at the automation floor unless auto-recharge is on.
 */
public record Wallet(String id, String tenantId, String name, String currency, long balanceMicros,
        long availableMicros, long floorMicros, long automationFloorMicros, WalletStatus status,
        List<String> channels, AutoRecharge autoRecharge, boolean lowBalance, boolean depleted, long seq,
        long createdAtMillis, long updatedAtMillis) {

    /** Settings of automatic top-ups; the top-ups themselves come with the funding feature. */
    public record AutoRecharge(boolean enabled, Long thresholdMicros, Long amountMicros) {
    }

    static Wallet fromHash(String id, Map<String, String> h) {
        long balance = Long.parseLong(h.get("bal"));
        long floor = Long.parseLong(h.get("floor"));
        return new Wallet(id, h.get("tenant"), h.getOrDefault("name", ""), h.get("currency"), balance,
                balance - floor, floor, Long.parseLong(h.get("afloor")), WalletStatus.parse(h.get("status")),
                channels(h.get("ch")),
                new AutoRecharge("1".equals(h.get("ar")), optionalLong(h.get("arth")), optionalLong(h.get("aramt"))),
                "1".equals(h.get("lowf")), "1".equals(h.get("depf")), Long.parseLong(h.get("seq")),
                Long.parseLong(h.get("created")), Long.parseLong(h.get("updated")));
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

    private static Long optionalLong(String text) {
        return text == null || text.isEmpty() ? null : Long.parseLong(text);
    }
}
