package io.tollgate.report;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.time.Instant;
import java.util.List;

/** The report shapes of spending and movements. Months are tenant-local ({@code timeZone}), written {@code YYYY-MM}. */
public final class Spending {
    private Spending() {
    }

    /**
     * Usage in one month: net of reversals ({@code usageMicros}), with the debits counted ({@code usageCount}, of which
     * {@code freeCount} at 0 micros), the units used, the forced part, and what reversals gave back.
     */
    public record Figures(long usageMicros, long usageCount, long usageUnits, long freeCount, long paidCount,
            long forcedMicros, long reversedMicros, long reversalCount) {
    }

    /** One item's or one channel's share of a month; {@code code} null for usage without item or channel. */
    @JsonInclude(JsonInclude.Include.ALWAYS)
    public record Share(String code, long usageMicros, long usageCount, long usageUnits, long freeCount) {
    }

    public record Month(String month, Figures total, List<Share> byItem, List<Share> byChannel) {
    }

    public record WalletSpending(String walletId, String currency, String timeZone, List<Month> months, Instant asOf) {
    }

    public record CurrencySpending(String currency, List<Month> months) {
    }

    public record TenantSpending(String timeZone, List<CurrencySpending> currencies, Instant asOf) {
    }

    /** Funds added against usage in one month; {@code netMicros} = funds added − usage. */
    public record MovementMonth(String month, long fundsAddedMicros, long creditsMicros, long topUpsMicros, long fundsCount,
            long usageMicros, long usageCount, long freeCount, long netMicros) {
    }

    public record WalletMovements(String walletId, String currency, String timeZone, List<MovementMonth> months, Instant asOf) {
    }

    public record CurrencyMovements(String currency, List<MovementMonth> months) {
    }

    public record TenantMovements(String timeZone, List<CurrencyMovements> currencies, Instant asOf) {
    }
}
