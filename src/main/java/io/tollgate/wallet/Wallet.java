package io.tollgate.wallet;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

/**
 * A wallet as its owner sees it. {@code availableMicros} is what manual traffic may still spend
 * (balance − floor); {@code automatedAvailableMicros} what automated traffic may (down to the automation floor unless
 * auto-recharge is on). {@code lowBalance} compares the balance with the wallet's low-balance alert levels; it is
 * null in answers that were not given the levels (see {@link #withLowBalanceLevels}).
 */
@Schema(description = "A wallet: balance, floors and settings. Amounts are integer micros of the wallet's currency (1 USD = 1000000).")
public record Wallet(
        @Schema(description = "The wallet's id: `w_` and 20 characters of `a–z2–7`.", examples = "w_oi6b2x2bevhswndenz5c") String id,
        @Schema(description = "The tenant that owns the wallet.") String tenantId,
        @Schema(description = "Display name; `\"\"` if none.") String name,
        @Schema(description = "ISO 4217 code of the wallet's currency; never changes.", examples = "USD") String currency,
        @Schema(description = "The balance in micros; may be negative.") long balanceMicros,
        @Schema(description = "`balanceMicros − floorMicros`: what manual traffic may still spend.") long availableMicros,
        @Schema(description = "What automated traffic may still spend: the balance minus the floor, or minus the higher of the "
                + "floor and the automation floor while auto-recharge is off; negative when the balance is below it.")
        long automatedAvailableMicros,
        @Schema(description = "Debits are approved while `balance − amount ≥ floor`; negative = a credit limit.") long floorMicros,
        @Schema(description = "Automated traffic is declined below this balance unless auto-recharge is on.") long automationFloorMicros,
        @Schema(description = "`suspended` declines outbound traffic; usage that already happened is still recorded.") WalletStatus status,
        @Schema(description = "Channels debits may name; `[]` = any.") List<String> channels,
        @Schema(description = "Automatic top-up when the balance falls to a threshold.") AutoRecharge autoRecharge,
        @Schema(description = "Top-up at or below zero, even with auto-recharge off.") EmergencyTopUp emergencyTopUp,
        @Schema(description = "The low-balance alert levels and whether the balance is at or below the highest: what the "
                + "low-balance alerts are about. Absent when the levels could not be read.")
        @JsonInclude(JsonInclude.Include.NON_NULL) LowBalance lowBalance,
        @Schema(description = "`balance.depleted` fired and is not re-armed yet (funds taking the balance above 0 re-arm it).") boolean depleted,
        @Schema(description = "Sequence number of the wallet's last event.") long seq,
        @Schema(description = "When the wallet was created.") Instant createdAt,
        @Schema(description = "When the settings last changed (money movements do not change it).") Instant updatedAt,
        @Schema(description = "Only in answers to create and PATCH: settings that are allowed but advised against "
                + "(an auto-recharge amount not above its threshold).")
        @JsonInclude(JsonInclude.Include.NON_EMPTY) List<String> warnings) {

    /**
     * "When the balance is at or below thresholdMicros, add amountMicros" with the given payment method (null: the
     * tenant's default). {@code status} is failing after automatic top-ups failed too often in a row; auto-recharge
     * is then off until the owner turns it on again. {@code triggered}: a debit left the balance at or below the
     * threshold ({@code balance.low} event, which starts the top-up) and no funds have lifted it above since.
     */
    @Schema(description = "When the balance is at or below `thresholdMicros`, add `amountMicros` with the payment method.")
    public record AutoRecharge(
            @Schema(description = "Whether auto-recharge is on.") boolean enabled,
            @Schema(description = "The balance at or below which a top-up starts; null if never set.") Long thresholdMicros,
            @Schema(description = "How much each top-up adds; null if never set.") Long amountMicros,
            @Schema(description = "The payment method charged; null = the tenant's default method.") String paymentMethodId,
            @Schema(description = "`ok`, or `failing` after automatic top-ups failed too often in a row: auto-recharge was then "
                    + "turned off until an owner enables it again.", enumeration = {"ok", "failing"}) String status,
            @Schema(description = "A debit left the balance at or below the threshold (the `balance.low` event that starts a "
                    + "top-up) and no funds have lifted it above the threshold since.") boolean triggered) {
    }

    /**
     * The wallet's low-balance alert levels (highest first) and whether the balance is at or below the highest of
     * them: what the low-balance alert e-mails and webhooks are about. {@code below} is false without levels.
     */
    @Schema(description = "The wallet's low-balance alert levels and whether its balance is at or below the highest of them.")
    public record LowBalance(
            @Schema(description = "The alert levels in micros, highest first; `[]` when low-balance alerts are off.") List<Long> levelsMicros,
            @Schema(description = "The balance is at or below the highest level; false without levels.") boolean below) {
        static LowBalance of(List<Long> levelsMicros, long balanceMicros) {
            List<Long> sorted = levelsMicros.stream().sorted(java.util.Comparator.reverseOrder()).toList();
            return new LowBalance(sorted, !sorted.isEmpty() && balanceMicros <= sorted.get(0));
        }
    }

    /** At or below zero, add what brings the balance back to targetMicros, at most capMicros, even with auto-recharge off. */
    @Schema(description = "At or below zero, add what brings the balance back to `targetMicros`, at most `capMicros`.")
    public record EmergencyTopUp(
            @Schema(description = "Whether emergency top-ups are on.") boolean enabled,
            @Schema(description = "The balance an emergency top-up aims for; null if never set.") Long targetMicros,
            @Schema(description = "The most one emergency top-up adds; null if never set.") Long capMicros) {
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
