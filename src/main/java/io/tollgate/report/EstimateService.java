package io.tollgate.report;

import io.smallrye.mutiny.Uni;
import io.tollgate.infra.Times;
import io.tollgate.ledger.TenantZones;
import io.tollgate.pricing.RateCard;
import io.tollgate.pricing.RateCardService;
import io.tollgate.wallet.Wallet;
import io.tollgate.wallet.WalletService;
import io.tollgate.wallet.WalletStatus;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Instant;
import java.time.LocalDate;
import java.time.YearMonth;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * A wallet's estimates and a tenant's balance breakdown (docs/concepts/estimates.md). Live balances come from Redis
 * ({@link WalletService}); everything historic from the ledger's aggregates only ({@code daily_totals},
 * {@code monthly_totals}) plus one index probe for {@code asOf}: no query reads a wallet's ledger history.
 *
 * <p>Cost of an estimate: Redis 1 HGETALL (+ the rate card, cached per pod); PostgreSQL 4 statements, each an index
 * lookup (the tenant's zone; at most 8 {@code daily_totals} rows; this month's {@code monthly_totals} rows of the
 * wallet; its newest ledger row). Cost of a breakdown: Redis 1 SCARD, 1 SMEMBERS and 1 HGETALL per wallet (as
 * {@code GET /v1/wallets}); PostgreSQL 3 statements whatever the number of wallets (the zone; every wallet's month
 * figures per channel in one query on {@code monthly_totals (tenant_id, month)}; the tenant's newest ledger row).
 * Errors: {@code wallet-not-found} (also another tenant's, or a malformed id), {@code unavailable}.
 */
@ApplicationScoped
public class EstimateService {
    static final String DAYS_SQL = "select day, usage_micros from daily_totals where wallet_id = $1 and day between $2 and $3";
    static final String MONTH_SQL = "select coalesce(sum(usage_micros), 0)::bigint, coalesce(sum(usage_count), 0)::bigint"
            + " from monthly_totals where wallet_id = $1 and month = $2";
    static final String WALLET_AS_OF_SQL = "select occurred_at from ledger_entry where wallet_id = $1 order by seq desc limit 1";
    /** Every wallet's month per channel in one statement (index monthly_totals_tenant_month); rows that only add funds are left out. */
    static final String BREAKDOWN_SQL = "select wallet_id, channel, sum(usage_micros)::bigint, sum(usage_count)::bigint"
            + " from monthly_totals where tenant_id = $1 and month = $2 and (usage_count <> 0 or usage_micros <> 0)"
            + " group by wallet_id, channel";
    static final String TENANT_AS_OF_SQL = "select occurred_at from ledger_entry where tenant_id = $1 order by occurred_at desc limit 1";

    private final Pool db;
    private final TenantZones zones;
    private final WalletService wallets;
    private final RateCardService rateCards;

    public EstimateService(Pool db, TenantZones zones, WalletService wallets, RateCardService rateCards) {
        this.db = db;
        this.zones = zones;
        this.wallets = wallets;
        this.rateCards = rateCards;
    }

    /** A day's usage from {@code daily_totals}. */
    record Day(LocalDate day, long usageMicros) {
    }

    /** This month's usage of a wallet from {@code monthly_totals}. */
    record Month(long usageMicros, long usageCount) {
    }

    public Uni<Estimates.WalletEstimate> estimate(String tenantId, String walletId) {
        return wallets.get(tenantId, walletId).chain(wallet -> {
            Instant readAt = Times.now();
            return zones.zoneOf(tenantId).chain(zone -> {
                LocalDate today = readAt.atZone(zone).toLocalDate();
                Uni<Optional<RateCard>> card = rateCards.find(tenantId, wallet.currency()).map(Optional::ofNullable);
                Uni<List<Day>> days = days(walletId, today);
                Uni<Month> month = month(walletId, YearMonth.from(today));
                Uni<Optional<Instant>> asOf = asOf(WALLET_AS_OF_SQL, walletId);
                return Uni.combine().all().unis(card, days, month, asOf).with((c, d, m, a) ->
                        estimate(wallet, readAt, zone, c.orElse(null), d, m, a.orElse(null)));
            });
        });
    }

    static Estimates.WalletEstimate estimate(Wallet wallet, Instant readAt, ZoneId zone, RateCard card, List<Day> days, Month month,
            Instant asOf) {
        LocalDate today = readAt.atZone(zone).toLocalDate();
        Estimates.DailyUsage daily = dailyUsage(today, wallet.createdAt().atZone(zone).toLocalDate(), days);
        long average = daily.averageDailyUsageMicros();
        long balance = wallet.balanceMicros();
        Estimates.Runway runway = average == 0 ? null : new Estimates.Runway(average,
                !wallet.autoRecharge().enabled() && wallet.automationFloorMicros() > wallet.floorMicros(),
                Forecasts.horizon(balance, wallet.automationFloorMicros(), average, readAt),
                Forecasts.horizon(balance, 0, average, readAt));
        YearMonth thisMonth = YearMonth.from(today);
        int daysAfterToday = thisMonth.lengthOfMonth() - today.getDayOfMonth();
        Estimates.MonthProjection projection = new Estimates.MonthProjection(thisMonth.toString(), month.usageMicros(),
                month.usageCount(), daysAfterToday,
                Forecasts.projectedMonth(month.usageMicros(), daily.todayUsageMicros(), average, daysAfterToday));
        return new Estimates.WalletEstimate(wallet.id(), wallet.currency(), zone.getId(), balance, wallet.availableMicros(),
                wallet.automatedAvailableMicros(), wallet.floorMicros(), wallet.automationFloorMicros(), wallet.status(), readAt,
                items(wallet, card), daily, runway, projection, autoRecharge(wallet, average, readAt), asOf);
    }

    /** The trailing window's days (oldest first, days without a row at 0), its average, and today's usage so far. */
    static Estimates.DailyUsage dailyUsage(LocalDate today, LocalDate createdOn, List<Day> rows) {
        Forecasts.Window window = Forecasts.Window.of(today, createdOn);
        Map<LocalDate, Long> byDay = new HashMap<>();
        rows.forEach(r -> byDay.merge(r.day(), r.usageMicros(), Long::sum));
        List<Estimates.DayUsage> shown = new ArrayList<>(window.days());
        long sum = 0;
        for (int i = 0; i < window.days(); i++) {
            LocalDate day = window.firstDay().plusDays(i);
            long usage = byDay.getOrDefault(day, 0L);
            sum += usage;
            shown.add(new Estimates.DayUsage(day.toString(), usage));
        }
        return new Estimates.DailyUsage(today.toString(), byDay.getOrDefault(today, 0L),
                window.days() == 0 ? null : window.firstDay().toString(), window.days() == 0 ? null : window.lastDay().toString(),
                window.days(), sum, Forecasts.averageDaily(sum, window.days()), shown);
    }

    /** Units per item and priced destination of the card; a suspended wallet buys none (DebitCheck's rule). */
    static List<Estimates.ItemUnits> items(Wallet wallet, RateCard card) {
        if (card == null || card.items() == null) {
            return List.of();
        }
        boolean active = wallet.status() == WalletStatus.ACTIVE;
        long manualRoom = active ? wallet.availableMicros() : 0;
        long automatedRoom = active ? wallet.automatedAvailableMicros() : 0;
        List<Estimates.ItemUnits> out = new ArrayList<>(card.items().size());
        new TreeMap<>(card.items()).forEach((item, price) -> {
            List<Estimates.DestinationUnits> destinations = new ArrayList<>();
            if (price.countries() != null) {
                new TreeMap<>(price.countries()).forEach((country, unit) -> destinations.add(new Estimates.DestinationUnits(country, unit,
                        Forecasts.units(manualRoom, unit), Forecasts.units(automatedRoom, unit))));
            }
            long unit = price.unitPriceMicros();
            out.add(new Estimates.ItemUnits(item, unit, Forecasts.units(manualRoom, unit), Forecasts.units(automatedRoom, unit),
                    destinations));
        });
        return out;
    }

    /** Null when auto-recharge is off (or has no threshold) or nothing is spent on average. */
    static Estimates.AutoRechargeEstimate autoRecharge(Wallet wallet, long average, Instant readAt) {
        Wallet.AutoRecharge ar = wallet.autoRecharge();
        if (!ar.enabled() || ar.thresholdMicros() == null || average == 0) {
            return null;
        }
        long threshold = ar.thresholdMicros();
        return new Estimates.AutoRechargeEstimate(threshold, ar.amountMicros() == null ? 0 : ar.amountMicros(), ar.triggered(),
                ar.triggered() ? null : Forecasts.horizon(wallet.balanceMicros(), threshold, average, readAt));
    }

    public Uni<Estimates.BalanceBreakdown> breakdown(String tenantId) {
        return wallets.list(tenantId).chain(listed -> {
            Instant readAt = Times.now();
            return Uni.combine().all().unis(wallets.count(tenantId), zones.zoneOf(tenantId)).asTuple().chain(countAndZone -> {
                ZoneId zone = countAndZone.getItem2();
                YearMonth month = YearMonth.from(readAt.atZone(zone));
                Uni<Map<String, Map<String, long[]>>> figures = db.preparedQuery(BREAKDOWN_SQL)
                        .execute(Tuple.of(tenantId, month.atDay(1))).map(EstimateService::byWalletAndChannel);
                return Uni.combine().all().unis(figures, asOf(TENANT_AS_OF_SQL, tenantId)).with((f, a) ->
                        breakdown(zone, month, listed, countAndZone.getItem1(), f, readAt, a.orElse(null)));
            });
        });
    }

    /** walletId → channel ('' for none) → {usage, count}. */
    private static Map<String, Map<String, long[]>> byWalletAndChannel(io.vertx.mutiny.sqlclient.RowSet<Row> rows) {
        Map<String, Map<String, long[]>> out = new HashMap<>();
        for (Row row : rows) {
            out.computeIfAbsent(row.getString(0), w -> new HashMap<>())
                    .merge(row.getString(1), new long[] {row.getLong(2), row.getLong(3)}, EstimateService::sum);
        }
        return out;
    }

    static Estimates.BalanceBreakdown breakdown(ZoneId zone, YearMonth month, List<Wallet> listed, long walletCount,
            Map<String, Map<String, long[]>> figures, Instant readAt, Instant asOf) {
        List<Estimates.WalletBalance> out = new ArrayList<>(listed.size());
        Map<String, List<Estimates.WalletBalance>> perCurrency = new TreeMap<>();
        Map<String, Map<String, long[]>> channelsPerCurrency = new HashMap<>();
        for (Wallet w : listed) {
            Map<String, long[]> channels = figures.getOrDefault(w.id(), Map.of());
            long[] total = channels.values().stream().reduce(new long[2], EstimateService::sum);
            Estimates.WalletBalance entry = new Estimates.WalletBalance(w.id(), w.name(), w.currency(), w.balanceMicros(),
                    w.availableMicros(), w.automatedAvailableMicros(), w.status(), total[0], total[1], channelUsage(channels));
            out.add(entry);
            perCurrency.computeIfAbsent(w.currency(), c -> new ArrayList<>()).add(entry);
            Map<String, long[]> currencyChannels = channelsPerCurrency.computeIfAbsent(w.currency(), c -> new LinkedHashMap<>());
            channels.forEach((channel, v) -> currencyChannels.merge(channel, v.clone(), EstimateService::sum));
        }
        List<Estimates.CurrencyBalance> currencies = new ArrayList<>(perCurrency.size());
        perCurrency.forEach((currency, entries) -> currencies.add(new Estimates.CurrencyBalance(currency, entries.size(),
                entries.stream().mapToLong(Estimates.WalletBalance::balanceMicros).reduce(0, Math::addExact),
                entries.stream().mapToLong(Estimates.WalletBalance::availableMicros).reduce(0, Math::addExact),
                entries.stream().mapToLong(Estimates.WalletBalance::monthUsageMicros).reduce(0, Math::addExact),
                entries.stream().mapToLong(Estimates.WalletBalance::monthUsageCount).reduce(0, Math::addExact),
                channelUsage(channelsPerCurrency.get(currency)))));
        return new Estimates.BalanceBreakdown(zone.getId(), month.toString(), out, currencies, walletCount,
                walletCount > listed.size(), readAt, asOf);
    }

    /** Largest usage first, then by channel (no channel last among equals). */
    private static List<Estimates.ChannelUsage> channelUsage(Map<String, long[]> channels) {
        return channels.entrySet().stream()
                .map(e -> new Estimates.ChannelUsage(e.getKey().isEmpty() ? null : e.getKey(), e.getValue()[0], e.getValue()[1]))
                .sorted(Comparator.comparingLong(Estimates.ChannelUsage::usageMicros).reversed()
                        .thenComparing(c -> c.channel() == null ? "\uffff" : c.channel()))
                .toList();
    }

    private static long[] sum(long[] a, long[] b) {
        return new long[] {Math.addExact(a[0], b[0]), Math.addExact(a[1], b[1])};
    }

    /** The window's days and today: at most 8 rows of the wallet's primary key range. */
    private Uni<List<Day>> days(String walletId, LocalDate today) {
        return db.preparedQuery(DAYS_SQL).execute(Tuple.of(walletId, today.minusDays(Forecasts.TRAILING_DAYS), today)).map(rows -> {
            List<Day> out = new ArrayList<>();
            rows.forEach(row -> out.add(new Day(row.getLocalDate(0), row.getLong(1))));
            return out;
        });
    }

    private Uni<Month> month(String walletId, YearMonth month) {
        return db.preparedQuery(MONTH_SQL).execute(Tuple.of(walletId, month.atDay(1))).map(rows -> {
            Row row = rows.iterator().next();
            return new Month(row.getLong(0), row.getLong(1));
        });
    }

    private Uni<Optional<Instant>> asOf(String sql, String id) {
        return db.preparedQuery(sql).execute(Tuple.of(id)).map(rows -> rows.iterator().hasNext()
                ? Optional.of(rows.iterator().next().getOffsetDateTime(0).toInstant()) : Optional.empty());
    }
}
