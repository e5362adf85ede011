package io.tollgate.report;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.time.Instant;
import java.util.List;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

/**
 * The report shapes of spending and movements. Months are tenant-local ({@code timeZone}), written {@code YYYY-MM}.
 * {@code asOf} is the time of the newest ledger movement the answer reflects (null when there is none yet).
 */
public final class Spending {
    private static final String MONTH = "A tenant-local month, `YYYY-MM`.";
    private static final String AS_OF = "The time of the newest ledger movement this answer reflects; absent when there is none. "
            + "The ledger trails the live balance by up to about a second.";
    private static final String ZONE = "The tenant's IANA time zone, which decides the months.";

    private Spending() {
    }

    /**
     * Usage in one month: net of reversals ({@code usageMicros}), with the debits counted ({@code usageCount}, of which
     * {@code freeCount} at 0 micros), the units used, the forced part, and what reversals gave back.
     */
    @Schema(name = "SpendingFigures", description = "Usage in a month, net of reversals, with its counts.")
    public record Figures(
            @Schema(description = "Spent, in micros: debits minus what reversals gave back of them.") long usageMicros,
            @Schema(description = "Debits approved (free ones included).") long usageCount,
            @Schema(description = "Units used: the sum of the debits' quantities (1 for a debit by amount).") long usageUnits,
            @Schema(description = "Debits of 0 micros: free usage such as unpriced inbound messages.") long freeCount,
            @Schema(description = "Debits above 0 micros.") long paidCount,
            @Schema(description = "The part of the usage recorded with `force` or inbound (usage that had already happened).") long forcedMicros,
            @Schema(description = "What reversals gave back of this month's debits, in micros.") long reversedMicros,
            @Schema(description = "Reversals of this month's debits.") long reversalCount) {
    }

    @JsonInclude(JsonInclude.Include.ALWAYS)
    @Schema(name = "SpendingShare", description = "One item's or one channel's part of a month's usage.")
    public record Share(
            @Schema(description = "The item or channel code; null for usage without one.", nullable = true) String code,
            @Schema(description = "Spent, in micros, net of reversals.") long usageMicros,
            @Schema(description = "Debits approved.") long usageCount,
            @Schema(description = "Units used.") long usageUnits,
            @Schema(description = "Debits of 0 micros.") long freeCount) {
    }

    @Schema(name = "SpendingMonth", description = "Usage in one month, in total, per item and per channel.")
    public record Month(
            @Schema(description = MONTH, examples = "2026-11") String month,
            @Schema(description = "The month's usage in total.") Figures total,
            @Schema(description = "Usage per item, largest first.") List<Share> byItem,
            @Schema(description = "Usage per channel, largest first.") List<Share> byChannel) {
    }

    @Schema(description = "A wallet's spending per month.")
    public record WalletSpending(
            @Schema(description = "The wallet.") String walletId,
            @Schema(description = "The wallet's currency.", examples = "USD") String currency,
            @Schema(description = ZONE, examples = "Europe/Berlin") String timeZone,
            @Schema(description = "The month asked for, or this month and the two before it, newest first.") List<Month> months,
            @Schema(description = AS_OF) Instant asOf) {
    }

    @Schema(description = "A tenant's spending per month in one currency (its wallets in that currency together).")
    public record CurrencySpending(
            @Schema(description = "The currency.", examples = "USD") String currency,
            @Schema(description = "The month asked for, or this month and the two before it, newest first.") List<Month> months) {
    }

    @Schema(description = "A tenant's spending per month, per currency.")
    public record TenantSpending(
            @Schema(description = ZONE, examples = "Europe/Berlin") String timeZone,
            @Schema(description = "One entry per currency the tenant's wallets hold and used in these months.") List<CurrencySpending> currencies,
            @Schema(description = AS_OF) Instant asOf) {
    }

    /** Funds added against usage in one month; {@code netMicros} = funds added − usage. */
    @Schema(description = "Funds added against usage in one month.")
    public record MovementMonth(
            @Schema(description = MONTH, examples = "2026-11") String month,
            @Schema(description = "Funds added: credits and top-ups, in micros.") long fundsAddedMicros,
            @Schema(description = "The part of the funds added by credits (support, promotion, adjustment).") long creditsMicros,
            @Schema(description = "The part of the funds added by top-ups through the payment provider.") long topUpsMicros,
            @Schema(description = "Credits and top-ups counted.") long fundsCount,
            @Schema(description = "Usage, net of reversals, in micros.") long usageMicros,
            @Schema(description = "Debits approved.") long usageCount,
            @Schema(description = "Debits of 0 micros.") long freeCount,
            @Schema(description = "Funds added − usage.") long netMicros) {
    }

    @Schema(description = "A wallet's funds added against usage per month.")
    public record WalletMovements(
            @Schema(description = "The wallet.") String walletId,
            @Schema(description = "The wallet's currency.", examples = "USD") String currency,
            @Schema(description = ZONE, examples = "Europe/Berlin") String timeZone,
            @Schema(description = "One entry per month, newest first, months without movements included.") List<MovementMonth> months,
            @Schema(description = AS_OF) Instant asOf) {
    }

    @Schema(description = "A tenant's funds added against usage per month in one currency.")
    public record CurrencyMovements(
            @Schema(description = "The currency.", examples = "USD") String currency,
            @Schema(description = "One entry per month, newest first, months without movements included.") List<MovementMonth> months) {
    }

    @Schema(description = "A tenant's funds added against usage per month, per currency.")
    public record TenantMovements(
            @Schema(description = ZONE, examples = "Europe/Berlin") String timeZone,
            @Schema(description = "One entry per currency the tenant's wallets hold and moved in these months.") List<CurrencyMovements> currencies,
            @Schema(description = AS_OF) Instant asOf) {
    }
}
