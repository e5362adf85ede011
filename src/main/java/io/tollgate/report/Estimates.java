package io.tollgate.report;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.tollgate.wallet.WalletStatus;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.List;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

/**
 * The shapes of a wallet's estimates and of a tenant's balance breakdown (docs/concepts/estimates.md). Live figures
 * (balances) come from Redis and carry the time they were read; historic figures come from the ledger's daily and
 * monthly aggregates and carry {@code asOf}, the newest ledger movement they reflect.
 */
public final class Estimates {
    private static final String AS_OF = "The time of the newest ledger movement the historic figures reflect; null when the "
            + "ledger has none yet. The ledger trails the live balance by up to about a second.";
    private static final String ZONE = "The tenant's IANA time zone, which decides its days and months.";
    private static final String MANUAL_UNITS = "Units a manual debit could still pay for now: `floor((balanceMicros − floorMicros) ÷ "
            + "unitPriceMicros)`, at least 0; 0 while the wallet is suspended.";
    private static final String AUTOMATED_UNITS = "Units an automated debit could still pay for now: as `manualUnits`, but down to "
            + "the automation floor while auto-recharge is off (the higher of the floor and the automation floor).";

    private Estimates() {
    }

    /** Estimates for one wallet: what the balance buys, how long it lasts, this month's projection, the next auto-recharge. */
    @Schema(name = "WalletEstimate", description = "What a wallet's balance still buys, how long it lasts at its recent spend, "
            + "this month's projected spend and when auto-recharge will next trigger.")
    public record WalletEstimate(
            @Schema(description = "The wallet.") String walletId,
            @Schema(description = "The wallet's currency, in which every amount of the answer is.", examples = "USD") String currency,
            @Schema(description = ZONE, examples = "Asia/Kathmandu") String timeZone,
            @Schema(description = "The live balance in micros, read from Redis; may be negative.") long balanceMicros,
            @Schema(description = "`balanceMicros − floorMicros`: what manual traffic may still spend.") long availableMicros,
            @Schema(description = "What automated traffic may still spend (down to the automation floor unless auto-recharge is "
                    + "on); negative when the balance is below it.") long automatedAvailableMicros,
            @Schema(description = "The wallet's floor.") long floorMicros,
            @Schema(description = "The wallet's automation floor.") long automationFloorMicros,
            @Schema(description = "`active` or `suspended`.") WalletStatus status,
            @Schema(description = "When the live balance was read from Redis; runway and trigger times count from here.") Instant balanceReadAt,
            @Schema(description = "Per item of the rate card in the wallet's currency, sorted by item code: the units the balance "
                    + "still buys. `[]` when the tenant has no card in that currency.") List<ItemUnits> items,
            @Schema(description = "The recent daily usage behind the averages.") DailyUsage dailyUsage,
            @Schema(description = "Days until the balance reaches the automation floor and zero at the average daily usage, "
                    + "without top-ups; null when the average is 0.", nullable = true)
            @JsonInclude(JsonInclude.Include.ALWAYS) Runway runway,
            @Schema(description = "This tenant-local month's usage so far and its projection.") MonthProjection month,
            @Schema(description = "When auto-recharge will next trigger at the average daily usage; null when auto-recharge is "
                    + "off or the average is 0.", nullable = true)
            @JsonInclude(JsonInclude.Include.ALWAYS) AutoRechargeEstimate autoRecharge,
            @Schema(description = AS_OF, nullable = true) @JsonInclude(JsonInclude.Include.ALWAYS) Instant asOf) {
    }

    @Schema(name = "EstimateItemUnits", description = "The units of one item that the balance still buys.")
    public record ItemUnits(
            @Schema(description = "The item code.", examples = "sms") String item,
            @Schema(description = "The item's outbound price per unit, in micros.", examples = "7500") long unitPriceMicros,
            @Schema(description = MANUAL_UNITS) long manualUnits,
            @Schema(description = AUTOMATED_UNITS) long automatedUnits,
            @Schema(description = "The same per destination the card prices by country, sorted by country code; `[]` when it "
                    + "prices none.") List<DestinationUnits> destinations) {
    }

    @Schema(name = "EstimateDestinationUnits", description = "The units of an item to one destination that the balance still buys.")
    public record DestinationUnits(
            @Schema(description = "ISO 3166-1 alpha-2 code of the destination.", examples = "DE") String country,
            @Schema(description = "The item's outbound price per unit to this destination, in micros.", examples = "79000") long unitPriceMicros,
            @Schema(description = MANUAL_UNITS) long manualUnits,
            @Schema(description = AUTOMATED_UNITS) long automatedUnits) {
    }

    /**
     * The trailing window: the (at most) 7 tenant-local days before today, none before the wallet's creation day. Today
     * is partial and not in the average; it is in {@code todayUsageMicros} and in the month's usage so far.
     */
    @Schema(name = "EstimateDailyUsage", description = "Usage per tenant-local day from the ledger's daily totals: today so far, "
            + "and the trailing window (the 7 days before today, none before the wallet's creation day) behind the average.")
    public record DailyUsage(
            @Schema(description = "Today in the tenant's time zone, `YYYY-MM-DD`.", examples = "2026-11-22") String today,
            @Schema(description = "Usage today so far, net of reversals, in micros; not part of the average.") long todayUsageMicros,
            @Schema(description = "The window's first day, `YYYY-MM-DD`; null when the window is empty (a wallet created today).",
                    nullable = true) @JsonInclude(JsonInclude.Include.ALWAYS) String firstDay,
            @Schema(description = "The window's last day (yesterday), `YYYY-MM-DD`; null when the window is empty.", nullable = true)
            @JsonInclude(JsonInclude.Include.ALWAYS) String lastDay,
            @Schema(description = "Days in the window: 7, fewer for a wallet created less than 7 days ago, 0 for one created today.")
            int days,
            @Schema(description = "Usage in the window, net of reversals, in micros.") long usageMicros,
            @Schema(description = "`usageMicros ÷ days`, rounded half up; 0 when the window is empty or holds no usage.")
            long averageDailyUsageMicros,
            @Schema(description = "The window's days, oldest first, days without usage included.") List<DayUsage> byDay) {
    }

    @Schema(name = "EstimateDayUsage", description = "One tenant-local day's usage.")
    public record DayUsage(
            @Schema(description = "The day, `YYYY-MM-DD`.", examples = "2026-11-21") String day,
            @Schema(description = "Usage that day, net of reversals, in micros.") long usageMicros) {
    }

    @Schema(name = "EstimateRunway", description = "How long the balance lasts at the average daily usage, without top-ups.")
    public record Runway(
            @Schema(description = "The average daily usage the runway assumes, in micros (`dailyUsage.averageDailyUsageMicros`).")
            long averageDailyUsageMicros,
            @Schema(description = "Whether the automation floor stops automated traffic: auto-recharge is off and the automation floor "
                    + "is above the floor. When false, `toAutomationFloor` only tells when the balance passes that level.")
            boolean automationFloorApplies,
            @Schema(description = "When the balance reaches the automation floor.") Horizon toAutomationFloor,
            @Schema(description = "When the balance reaches zero.") Horizon toZero) {
    }

    /** When the balance, falling at the average, reaches {@code levelMicros}: in days (one decimal, rounded down) and as an instant. */
    @Schema(name = "EstimateHorizon", description = "When the balance, falling at the average daily usage, reaches a level.")
    public record Horizon(
            @Schema(description = "The balance level, in micros.") long levelMicros,
            @Schema(description = "`(balanceMicros − levelMicros) ÷ averageDailyUsageMicros` days, one decimal, rounded down; 0 when "
                    + "the balance is already at or below the level.", examples = "12.5") BigDecimal inDays,
            @Schema(description = "`balanceReadAt` plus that time (exact to the millisecond, not rounded to a tenth of a day); null "
                    + "when it is more than 36500 days (100 years) away.", nullable = true)
            @JsonInclude(JsonInclude.Include.ALWAYS) Instant reachedAt) {
    }

    @Schema(name = "EstimateMonth", description = "This tenant-local month's usage so far and its projection to the month's end.")
    public record MonthProjection(
            @Schema(description = "The month, `YYYY-MM`.", examples = "2026-11") String month,
            @Schema(description = "Usage so far this month (today included), net of reversals, in micros, from the monthly totals.")
            long usageMicros,
            @Schema(description = "Debits approved so far this month.") long usageCount,
            @Schema(description = "Whole days of the month after today.") int daysAfterToday,
            @Schema(description = "`usageMicros − todayUsageMicros + max(todayUsageMicros, average) + average × daysAfterToday`: "
                    + "today ends at the average unless it already spent more, and every later day spends the average.")
            long projectedUsageMicros) {
    }

    @Schema(name = "EstimateAutoRecharge", description = "When auto-recharge will next trigger at the average daily usage.")
    public record AutoRechargeEstimate(
            @Schema(description = "The balance at or below which a debit triggers a top-up, in micros.") long thresholdMicros,
            @Schema(description = "What each top-up adds, in micros.") long amountMicros,
            @Schema(description = "A debit already left the balance at or below the threshold and no funds lifted it above since: "
                    + "the top-up for this crossing has started.") boolean triggered,
            @Schema(description = "When the balance reaches the threshold (0 days: the next debit triggers); null while `triggered`: "
                    + "the next trigger needs funds to lift the balance above the threshold first.", nullable = true)
            @JsonInclude(JsonInclude.Include.ALWAYS) Horizon nextTrigger) {
    }

    /** Every wallet of a tenant (at most 1000) with its live balance and this month's usage, and totals per currency. */
    @Schema(name = "BalanceBreakdown", description = "The tenant's wallets with their live balances and this month's usage per "
            + "channel, and totals per currency.")
    public record BalanceBreakdown(
            @Schema(description = ZONE, examples = "Asia/Kathmandu") String timeZone,
            @Schema(description = "The tenant-local month of the usage figures, `YYYY-MM`.", examples = "2026-11") String month,
            @Schema(description = "The tenant's wallets, sorted by id, at most 1000 (as `GET /v1/wallets`).") List<WalletBalance> wallets,
            @Schema(description = "Totals per currency over the wallets listed, sorted by currency.") List<CurrencyBalance> currencies,
            @Schema(description = "How many wallets the tenant holds.") long walletCount,
            @Schema(description = "The tenant holds more wallets than are listed; totals cover the listed ones only.") boolean truncated,
            @Schema(description = "When the live balances were read from Redis.") Instant balancesReadAt,
            @Schema(description = AS_OF, nullable = true) @JsonInclude(JsonInclude.Include.ALWAYS) Instant asOf) {
    }

    @Schema(name = "WalletBalance", description = "One wallet's live balance and this month's usage.")
    public record WalletBalance(
            @Schema(description = "The wallet.") String walletId,
            @Schema(description = "Display name; `\"\"` if none.") String name,
            @Schema(description = "The wallet's currency.", examples = "USD") String currency,
            @Schema(description = "The live balance in micros; may be negative.") long balanceMicros,
            @Schema(description = "`balanceMicros − floorMicros`: what manual traffic may still spend.") long availableMicros,
            @Schema(description = "What automated traffic may still spend; negative when the balance is below its floor.")
            long automatedAvailableMicros,
            @Schema(description = "`active` or `suspended`.") WalletStatus status,
            @Schema(description = "Usage this month, net of reversals, in micros.") long monthUsageMicros,
            @Schema(description = "Debits approved this month.") long monthUsageCount,
            @Schema(description = "This month's usage per channel, largest first.") List<ChannelUsage> byChannel) {
    }

    @Schema(name = "CurrencyBalance", description = "The listed wallets of one currency together.")
    public record CurrencyBalance(
            @Schema(description = "The currency.", examples = "USD") String currency,
            @Schema(description = "Wallets listed in this currency.") int walletCount,
            @Schema(description = "Their balances added up, in micros.") long balanceMicros,
            @Schema(description = "Their available amounts added up, in micros.") long availableMicros,
            @Schema(description = "Their usage this month, net of reversals, in micros.") long monthUsageMicros,
            @Schema(description = "Their debits approved this month.") long monthUsageCount,
            @Schema(description = "Their usage this month per channel, largest first.") List<ChannelUsage> byChannel) {
    }

    @Schema(name = "ChannelUsage", description = "One channel's part of a month's usage.")
    public record ChannelUsage(
            @Schema(description = "The channel the debits named; null for debits without one.", nullable = true)
            @JsonInclude(JsonInclude.Include.ALWAYS) String channel,
            @Schema(description = "Usage, net of reversals, in micros.") long usageMicros,
            @Schema(description = "Debits approved.") long usageCount) {
    }
}
