package io.tollgate.ledger;

/**
 * What one batch adds to one row of {@code monthly_totals} (a wallet, tenant-local month, item and channel), summed in
 * memory before the batch's one upsert. Usage is net of reversals; its parts and counts are kept beside it so the
 * reports can show paid against free, forced usage, reversals, and credits against top-ups.
 */
final class MonthlyFigures {
    /** The events that move the monthly figures; every other event type moves none. */
    enum Kind {
        USAGE, REVERSAL, CREDIT, TOPUP;

        boolean isFunds() {
            return this == CREDIT || this == TOPUP;
        }
    }

    private final String walletId;
    private final String item;
    private final String channel;
    private final String tenantId;
    private final String currency;
    private long fundsAddedMicros;
    private long usageMicros;
    private long usageCount;
    private long usageUnits;
    private long freeCount;
    private long forcedMicros;
    private long reversedMicros;
    private long reversalCount;
    private long topupMicros;
    private long fundsCount;

    MonthlyFigures(LedgerWriter.LedgerEvent first) {
        this.walletId = first.walletId();
        this.item = first.item();
        this.channel = first.channel();
        this.tenantId = first.tenantId();
        this.currency = first.currency();
    }

    static Kind kindOf(String eventType) {
        return switch (eventType) {
            case "debit.approved" -> Kind.USAGE;
            case "debit.reversed" -> Kind.REVERSAL;
            case "wallet.credited" -> Kind.CREDIT;
            case "topup.applied" -> Kind.TOPUP;
            default -> null;
        };
    }

    MonthlyFigures add(Kind kind, LedgerWriter.LedgerEvent e) {
        long amount = e.amountMicros();
        switch (kind) {
            case USAGE -> {
                usageMicros += amount;
                usageCount++;
                usageUnits += e.quantity();
                freeCount += amount == 0 ? 1 : 0;
                forcedMicros += e.forced() ? amount : 0;
            }
            case REVERSAL -> {
                usageMicros -= amount;
                reversedMicros += amount;
                reversalCount++;
            }
            case CREDIT, TOPUP -> {
                fundsAddedMicros += amount;
                topupMicros += kind == Kind.TOPUP ? amount : 0;
                fundsCount++;
            }
        }
        return this;
    }

    /** Writes this row into column {@code i} of the upsert's 16 arrays, in {@link LedgerWriter#MONTHLY_SQL}'s order. */
    void into(String[][] columns, int i, String month) {
        String[] values = {walletId, month, item, channel, tenantId, currency, Long.toString(fundsAddedMicros),
                Long.toString(usageMicros), Long.toString(usageCount), Long.toString(usageUnits), Long.toString(freeCount),
                Long.toString(forcedMicros), Long.toString(reversedMicros), Long.toString(reversalCount),
                Long.toString(topupMicros), Long.toString(fundsCount)};
        for (int c = 0; c < values.length; c++) {
            columns[c][i] = values[c];
        }
    }
}
