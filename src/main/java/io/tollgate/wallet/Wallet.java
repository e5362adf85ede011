package io.tollgate.wallet;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

/**
 * A wallet as its owner sees it. {@code availableMicros} is what manual traffic may still spend
 * (balance − floor); {@code automatedAvailableMicros} what automated traffic may (down to the automation floor unless
 * auto-recharge is on). {@code lowBalance} compares the balance with the wallet's low-balance alert levels; it is
 * null in answers that were not given the levels (see {@link #withLowBalanceLevels}).
 */
public record Wallet(String id, String tenantId, String name, String currency, long balanceMicros,
        long availableMicros, long automatedAvailableMicros, long floorMicros, long automationFloorMicros,
        WalletStatus status, List<String> channels, AutoRecharge autoRecharge, EmergencyTopUp emergencyTopUp,
        @JsonInclude(JsonInclude.Include.NON_NULL) LowBalance lowBalance, boolean depleted, long seq, Instant createdAt,
        Instant updatedAt, @JsonInclude(JsonInclude.Include.NON_EMPTY) List<String> warnings) {

    /**
     * "When the balance is at or below thresholdMicros, add amountMicros" with the given payment method (null: the
     * tenant's default). {@code status} is failing after automatic top-ups failed too often in a row; auto-recharge
     * is then off until the owner turns it on again. {@code triggered}: a debit left the balance at or below the
     * threshold ({@code balance.low} event, which starts the top-up) and no funds have lifted it above since.
     */
    public record AutoRecharge(boolean enabled, Long thresholdMicros, Long amountMicros, String paymentMethodId, String status,
            boolean triggered) {
    }

    /**
     * The wallet's low-balance alert levels (highest first) and whether the balance is at or below the highest of
     * them: what the low-balance alert e-mails and webhooks are about. {@code below} is false without levels.
     */
    public record LowBalance(List<Long> levelsMicros, boolean below) {
        static LowBalance of(List<Long> levelsMicros, long balanceMicros) {
            List<Long> sorted = levelsMicros.stream().sorted(java.util.Comparator.reverseOrder()).toList();
            return new LowBalance(sorted, !sorted.isEmpty() && balanceMicros <= sorted.get(0));
        }
    }

    /** At or below zero, add what brings the balance back to targetMicros, at most capMicros, even with auto-recharge off. */
    public record EmergencyTopUp(boolean enabled, Long targetMicros, Long capMicros) {
    }

    public Wallet withWarnings(List<String> newWarnings) {
        return new Wallet(id, tenantId, name, currency, balanceMicros, availableMicros, automatedAvailableMicros, floorMicros,
                automationFloorMicros, status, channels, autoRecharge, emergencyTopUp, lowBalance, depleted, seq, createdAt,
                updatedAt, newWarnings);
    }

    /** This wallet with its low-balance alert levels applied to its balance. */
    public Wallet withLowBalanceLevels(List<Long> levelsMicros) {
        return new Wallet(id, tenantId, name, currency, balanceMicros, availableMicros, automatedAvailableMicros, floorMicros,
                automationFloorMicros, status, channels, autoRecharge, emergencyTopUp,
                LowBalance.of(levelsMicros, balanceMicros), depleted, seq, createdAt, updatedAt, warnings);
    }

    static Wallet fromHash(String id, Map<String, String> h) {
        long balance = Long.parseLong(h.get("bal"));
        long floor = Long.parseLong(h.get("floor"));
        long automationFloor = Long.parseLong(h.get("afloor"));
        boolean autoRecharge = "1".equals(h.get("ar"));
        return new Wallet(id, h.get("tenant"), h.getOrDefault("name", ""), h.get("currency"), balance,
                balance - floor, automatedAvailable(balance, floor, automationFloor, autoRecharge), floor, automationFloor,
                WalletStatus.parse(h.get("status")), channels(h.get("ch")),
                new AutoRecharge(autoRecharge, optionalLong(h.get("arth")), optionalLong(h.get("aramt")),
                        emptyToNull(h.get("arpm")), "failing".equals(h.get("arst")) ? "failing" : "ok", "1".equals(h.get("lowf"))),
                new EmergencyTopUp("1".equals(h.get("em")), optionalLong(h.get("emtgt")), optionalLong(h.get("emcap"))),
                null, "1".equals(h.get("depf")), Long.parseLong(h.get("seq")),
                Instant.ofEpochMilli(Long.parseLong(h.get("created"))), Instant.ofEpochMilli(Long.parseLong(h.get("updated"))),
                List.of());
    }

    /**
     * What an automated debit may take now (debit.lua's rule): down to the floor with auto-recharge on, else down to
     * the higher of the floor and the automation floor. Negative when the balance is below it already.
     */
    static long automatedAvailable(long balanceMicros, long floorMicros, long automationFloorMicros, boolean autoRecharge) {
        return balanceMicros - (autoRecharge ? floorMicros : Math.max(floorMicros, automationFloorMicros));
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
