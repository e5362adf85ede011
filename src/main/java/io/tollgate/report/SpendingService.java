package io.tollgate.report;

import io.smallrye.mutiny.Uni;
import io.tollgate.infra.Ids;
import io.tollgate.infra.http.ProblemException;
import io.tollgate.infra.http.ProblemType;
import io.tollgate.ledger.TenantZones;
import io.tollgate.wallet.WalletService;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.RowSet;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Instant;
import java.time.LocalDate;
import java.time.YearMonth;
import java.time.ZoneId;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Function;

/**
 * Spending and movements per month, for a wallet or a whole tenant (per currency), read from the ledger's monthly
 * aggregates only: a report reads at most 24 months × items × channels rows of its wallet or tenant, never its history.
 * Errors: {@code invalid-request} (a month outside the last 24, a count outside 1..24), {@code wallet-not-found}
 * (also another tenant's), {@code unavailable}.
 */
@ApplicationScoped
public class SpendingService {
    static final int MONTHS_MAX = 24;
    static final int SUMMARY_MONTHS = 3;
    private static final String COLUMNS = """
            currency, month, item, channel, sum(usage_micros), sum(usage_count), sum(usage_units), sum(free_count),
            sum(forced_micros), sum(reversed_micros), sum(reversal_count), sum(funds_added_micros), sum(topup_micros),
            sum(funds_count)""";
    static final String WALLET_SQL = "select " + COLUMNS + " from monthly_totals where wallet_id = $1 and month = any($2::date[])"
            + " group by currency, month, item, channel";
    static final String TENANT_SQL = "select " + COLUMNS + " from monthly_totals where tenant_id = $1 and month = any($2::date[])"
            + " group by currency, month, item, channel";
    static final String WALLET_AS_OF_SQL = "select occurred_at from ledger_entry where wallet_id = $1 order by seq desc limit 1";
    static final String TENANT_AS_OF_SQL = "select occurred_at from ledger_entry where tenant_id = $1 order by occurred_at desc limit 1";
    static final String WALLET_OWNER_SQL = "select tenant_id, currency from ledger_entry where wallet_id = $1 order by seq limit 1";

    private final Pool db;
    private final TenantZones zones;
    private final WalletService wallets;

    public SpendingService(Pool db, TenantZones zones, WalletService wallets) {
        this.db = db;
        this.zones = zones;
        this.wallets = wallets;
    }

    /**
     * One row of monthly_totals, summed over what the query groups. {@code v} holds the sums in {@link #COLUMNS}' order:
     * usage, usage count, units, free count, forced, reversed, reversal count, funds added, top-ups, funds count.
     */
    record MonthRow(String currency, YearMonth month, String item, String channel, long[] v) {
        static MonthRow of(Row row) {
            long[] v = new long[10];
            for (int i = 0; i < v.length; i++) {
                v[i] = row.getLong(4 + i);
            }
            return new MonthRow(row.getString(0), YearMonth.from(row.getLocalDate(1)), row.getString(2), row.getString(3), v);
        }
    }

    public Uni<Spending.WalletSpending> walletSpending(String tenantId, String walletId, String month) {
        return owned(tenantId, walletId).chain(currency -> zones.zoneOf(tenantId).chain(zone -> {
            List<YearMonth> months = months(zone, month);
            return rows(WALLET_SQL, walletId, months).chain(rows -> asOf(WALLET_AS_OF_SQL, walletId).map(asOf ->
                    new Spending.WalletSpending(walletId, currency, zone.getId(), spendingMonths(months, rows), asOf)));
        }));
    }

    public Uni<Spending.TenantSpending> tenantSpending(String tenantId, String month) {
        return zones.zoneOf(tenantId).chain(zone -> {
            List<YearMonth> months = months(zone, month);
            return rows(TENANT_SQL, tenantId, months).chain(rows -> asOf(TENANT_AS_OF_SQL, tenantId).map(asOf -> {
                List<Spending.CurrencySpending> out = new ArrayList<>();
                byCurrency(rows).forEach((currency, own) -> out.add(new Spending.CurrencySpending(currency, spendingMonths(months, own))));
                return new Spending.TenantSpending(zone.getId(), out, asOf);
            }));
        });
    }

    public Uni<Spending.WalletMovements> walletMovements(String tenantId, String walletId, Integer count) {
        return owned(tenantId, walletId).chain(currency -> zones.zoneOf(tenantId).chain(zone -> {
            List<YearMonth> months = lastMonths(zone, count(count));
            return rows(WALLET_SQL, walletId, months).chain(rows -> asOf(WALLET_AS_OF_SQL, walletId).map(asOf ->
                    new Spending.WalletMovements(walletId, currency, zone.getId(), movementMonths(months, rows), asOf)));
        }));
    }

    public Uni<Spending.TenantMovements> tenantMovements(String tenantId, Integer count) {
        return zones.zoneOf(tenantId).chain(zone -> {
            List<YearMonth> months = lastMonths(zone, count(count));
            return rows(TENANT_SQL, tenantId, months).chain(rows -> asOf(TENANT_AS_OF_SQL, tenantId).map(asOf -> {
                List<Spending.CurrencyMovements> out = new ArrayList<>();
                byCurrency(rows).forEach((currency, own) -> out.add(new Spending.CurrencyMovements(currency, movementMonths(months, own))));
                return new Spending.TenantMovements(zone.getId(), out, asOf);
            }));
        });
    }

    /**
     * The wallet's currency, if the tenant owns it: from its first ledger row, or (a wallet the ledger has not recorded
     * yet, within a second of its creation) from the wallet itself. Error: {@code wallet-not-found}.
     */
    Uni<String> owned(String tenantId, String walletId) {
        if (!Ids.isWellFormed(walletId)) {
            return Uni.createFrom().failure(WalletService.notFound(walletId));
        }
        return db.preparedQuery(WALLET_OWNER_SQL).execute(Tuple.of(walletId)).chain(rows -> {
            if (!rows.iterator().hasNext()) {
                return wallets.ref(tenantId, walletId).map(WalletService.WalletRef::currency);
            }
            Row row = rows.iterator().next();
            if (!tenantId.equals(row.getString(0))) {
                return Uni.createFrom().failure(WalletService.notFound(walletId));
            }
            return Uni.createFrom().item(row.getString(1));
        });
    }

    /** The month asked for (within the last 24), or this month and the two before it; newest first. */
    static List<YearMonth> months(ZoneId zone, String month) {
        YearMonth now = YearMonth.now(zone);
        if (month == null) {
            return List.of(now, now.minusMonths(1), now.minusMonths(2));
        }
        YearMonth asked;
        try {
            asked = YearMonth.parse(month);
        } catch (DateTimeParseException e) {
            throw invalid("month must be YYYY-MM");
        }
        if (asked.isAfter(now) || asked.isBefore(now.minusMonths(MONTHS_MAX - 1))) {
            throw invalid("month must be one of the last " + MONTHS_MAX + " months (" + now.minusMonths(MONTHS_MAX - 1) + " .. " + now + ")");
        }
        return List.of(asked);
    }

    static List<YearMonth> lastMonths(ZoneId zone, int count) {
        YearMonth now = YearMonth.now(zone);
        List<YearMonth> out = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            out.add(now.minusMonths(i));
        }
        return out;
    }

    private static int count(Integer months) {
        if (months == null) {
            return 12;
        }
        if (months < 1 || months > MONTHS_MAX) {
            throw invalid("months must be 1.." + MONTHS_MAX);
        }
        return months;
    }

    private Uni<List<MonthRow>> rows(String sql, String id, List<YearMonth> months) {
        LocalDate[] firsts = months.stream().map(m -> m.atDay(1)).toArray(LocalDate[]::new);
        return db.preparedQuery(sql).execute(Tuple.of(id, firsts)).map(SpendingService::read);
    }

    private static List<MonthRow> read(RowSet<Row> rows) {
        List<MonthRow> out = new ArrayList<>();
        rows.forEach(row -> out.add(MonthRow.of(row)));
        return out;
    }

    private Uni<Instant> asOf(String sql, String id) {
        return db.preparedQuery(sql).execute(Tuple.of(id))
                .map(rows -> rows.iterator().hasNext() ? rows.iterator().next().getOffsetDateTime(0).toInstant() : null);
    }

    private static Map<String, List<MonthRow>> byCurrency(List<MonthRow> rows) {
        Map<String, List<MonthRow>> out = new TreeMap<>();
        rows.forEach(r -> out.computeIfAbsent(r.currency(), c -> new ArrayList<>()).add(r));
        return out;
    }

    static List<Spending.Month> spendingMonths(List<YearMonth> months, List<MonthRow> rows) {
        List<Spending.Month> out = new ArrayList<>(months.size());
        for (YearMonth month : months) {
            List<MonthRow> own = rows.stream().filter(r -> r.month().equals(month)).toList();
            out.add(new Spending.Month(month.toString(), figures(own), shares(own, MonthRow::item), shares(own, MonthRow::channel)));
        }
        return out;
    }

    static List<Spending.MovementMonth> movementMonths(List<YearMonth> months, List<MonthRow> rows) {
        List<Spending.MovementMonth> out = new ArrayList<>(months.size());
        for (YearMonth month : months) {
            long[] t = new long[10];
            rows.stream().filter(r -> r.month().equals(month)).forEach(r -> add(t, r.v()));
            out.add(new Spending.MovementMonth(month.toString(), t[7], t[7] - t[8], t[8], t[9], t[0], t[1], t[3], t[7] - t[0]));
        }
        return out;
    }

    private static Spending.Figures figures(List<MonthRow> rows) {
        long[] t = new long[10];
        rows.forEach(r -> add(t, r.v()));
        return new Spending.Figures(t[0], t[1], t[2], t[3], t[1] - t[3], t[4], t[5], t[6]);
    }

    /** Usage per item or channel, largest first; rows that only add funds are left out. */
    private static List<Spending.Share> shares(List<MonthRow> rows, Function<MonthRow, String> code) {
        Map<String, long[]> sums = new LinkedHashMap<>();
        rows.stream().filter(r -> r.v()[1] != 0 || r.v()[5] != 0)
                .forEach(r -> add(sums.computeIfAbsent(code.apply(r), c -> new long[10]), r.v()));
        return sums.entrySet().stream()
                .map(e -> new Spending.Share(e.getKey().isEmpty() ? null : e.getKey(), e.getValue()[0], e.getValue()[1],
                        e.getValue()[2], e.getValue()[3]))
                .sorted(Comparator.comparingLong(Spending.Share::usageMicros).reversed()
                        .thenComparing(s -> s.code() == null ? "" : s.code()))
                .toList();
    }

    private static void add(long[] into, long[] values) {
        for (int i = 0; i < into.length; i++) {
            into[i] += values[i];
        }
    }

    private static ProblemException invalid(String detail) {
        return new ProblemException(ProblemType.INVALID_REQUEST, detail);
    }
}
