package io.tollgate.report;

import io.smallrye.mutiny.Uni;
import io.tollgate.infra.http.ProblemException;
import io.tollgate.infra.http.ProblemType;
import io.tollgate.ledger.LookupKeys;
import io.tollgate.ledger.TenantZones;
import io.vertx.core.json.JsonObject;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.RowSet;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The activity log: every movement of a wallet or a tenant, newest first, filtered, paged by keyset. Reads the ledger
 * only, and never more than a bounded part of it per page:
 * <ul>
 * <li><b>A tenant</b> (no user or reference filter): a backward scan of {@code ledger_activity_tenant} (tenant_id,
 * occurred_at, wallet_id, seq, type, amount_micros, item, channel) from the cursor, in the log's order, the filters
 * compared inside the index, at most {@link ActivityConfig#scanMaxRows} entries per page; only the rows answered are
 * read from the table.</li>
 * <li><b>A wallet</b> (no user or reference filter): a backward scan of {@code ledger_entry_wallet_seq} (wallet_id,
 * seq) between the seqs where the time range starts and ends (a binary search on the first page, kept in the cursor),
 * at most {@code scanMaxRows} rows per page.</li>
 * <li><b>A user or reference filter</b>: the look-up index ({@link LookupKeys}: keys per UTC day), probed for a window of
 * days before the cursor that doubles (1, 2, 4 … days) while the page is not full, until the range's start.</li>
 * </ul>
 * A page that reaches its scan limit before it has {@code limit} rows answers with what it found and a cursor after
 * the last row it read. Errors: {@code invalid-request} (cursor), {@code wallet-not-found}, {@code debit-not-found}.
 */
@ApplicationScoped
@io.quarkus.runtime.Startup
public class ActivityService {
    static final String MOVEMENTS = "type in ('debit.approved', 'debit.reversed', 'wallet.credited', 'topup.applied')";
    /** The columns of an answered row (alias e). */
    static final String ROW_COLUMNS = """
            e.event_id, e.occurred_at, e.type, e.wallet_id, e.seq, e.currency, e.amount_micros, e.balance_after_micros, e.item,
            e.channel, e.user_name, e.key_id, e.debit_id, e.data->'quantity' as quantity, e.data->'unitPriceMicros' as unit_price,
            e.data->'reference' as reference, e.data->>'reversalId' as reversal_id, e.data->>'creditId' as credit_id,
            e.data->>'topUpId' as top_up_id, e.data->>'reason' as reason""";
    static final String TENANT_ORDER = "occurred_at desc, wallet_id desc, seq desc";
    static final String WALLET_ORDER = "seq desc";
    /**
     * The first seq of a wallet whose movement happened at or after $2 (its last seq + 1 if none): a binary search over
     * (wallet_id, seq), about log2(seq) index probes, assuming a wallet's times do not go backwards (they come from one
     * Redis clock per wallet). Rows are still compared with the range exactly, so a clock that stepped back can only
     * leave a row near a boundary out, never let one in.
     */
    static final String SEQ_AT_SQL = """
            with recursive b(lo, hi) as (
                select cast(0 as bigint), coalesce((select seq from ledger_entry where wallet_id = $1 order by seq desc limit 1), 0) + 1
                union all
                select case when p.at < $2 then p.mid else b.lo end, case when p.at < $2 then b.hi else p.mid end
                from b cross join lateral (
                    select (b.lo + b.hi) / 2 as mid,
                        (select occurred_at from ledger_entry where wallet_id = $1 and seq >= (b.lo + b.hi) / 2 order by seq limit 1) as at) p
                where b.hi - b.lo > 1)
            select hi from b where hi - lo <= 1""";
    static final DateTimeFormatter LOCAL = DateTimeFormatter.ofPattern("uuuu-MM-dd'T'HH:mm:ss.SSSXXX");
    /** The widest window of days one look-up probe covers. */
    static final int WINDOW_DAYS_MAX = 512;

    private final Pool db;
    private final TenantZones zones;
    private final SpendingService spending;
    private final ActivityCursors cursors;
    private final ActivityConfig config;

    public ActivityService(Pool db, TenantZones zones, SpendingService spending, ActivityCursors cursors, ActivityConfig config) {
        this.db = db;
        this.zones = zones;
        this.spending = spending;
        this.cursors = cursors;
        this.config = config;
        if (config.scanMaxRows() < 10 || config.scanMaxRows() > 1_000_000) {
            throw new IllegalArgumentException("tollgate.activity.scan-max-rows must be 10..1000000, was " + config.scanMaxRows());
        }
        if (config.csvMaxRows() < 1 || config.csvMaxRows() > 1_000_000) {
            throw new IllegalArgumentException("tollgate.activity.csv-max-rows must be 1..1000000, was " + config.csvMaxRows());
        }
    }

    /** Rows read by one query, and where the next query starts (null: nothing more). */
    public record Chunk(List<Activity.Row> rows, ActivityCursors.Position next) {
    }

    /** A query ready to be read: its zone, and where its first page starts. */
    public record Prepared(ActivityQuery query, ZoneId zone, ActivityCursors.Position start) {
    }

    /** One page: checks the wallet, resolves the range (first page) or the cursor, reads, signs the next cursor. */
    public Uni<Activity.Page> page(ActivityQuery query, int limit, String cursor) {
        return prepare(query, cursor).chain(prepared -> read(prepared, prepared.start(), limit).chain(chunk ->
                asOf(query).map(asOf -> new Activity.Page(chunk.rows(), chunk.next() == null ? null : cursors.encode(query.hash(),
                        chunk.next()), prepared.zone().getId(), asOf))));
    }

    /**
     * Checks what a page or an export needs before it reads: the cursor (it must verify and belong to this query; nothing
     * is read otherwise), the wallet (the tenant's), the zone, and on a first page the range's lower bound.
     */
    public Uni<Prepared> prepare(ActivityQuery query, String cursor) {
        ActivityCursors.Position after = cursor == null ? null : cursors.decode(query.hash(), cursor);
        Uni<Void> owned = query.isWallet() ? spending.owned(query.tenantId(), query.walletId()).replaceWithVoid()
                : Uni.createFrom().voidItem();
        return owned.chain(() -> zones.zoneOf(query.tenantId())).chain(zone -> (after != null ? Uni.createFrom().item(after)
                : firstPosition(query)).map(start -> new Prepared(query, zone, start)));
    }

    /** Where a first page starts: before everything, with the range's lower bound resolved now. */
    private Uni<ActivityCursors.Position> firstPosition(ActivityQuery query) {
        Instant from = query.fromOr(Instant.now());
        if (!query.isWallet() || usesLookup(query)) {
            return Uni.createFrom().item(new ActivityCursors.Position(Long.MAX_VALUE, "", Long.MAX_VALUE, micros(from)));
        }
        Uni<Long> upper = query.to() == null ? Uni.createFrom().item(Long.MAX_VALUE) : seqAt(query.walletId(), query.to());
        return seqAt(query.walletId(), from).chain(low -> upper.map(high ->
                new ActivityCursors.Position(Long.MAX_VALUE, query.walletId(), high, low)));
    }

    private Uni<Long> seqAt(String walletId, Instant at) {
        return db.preparedQuery(SEQ_AT_SQL).execute(Tuple.of(walletId, at.atOffset(ZoneOffset.UTC)))
                .map(rows -> rows.iterator().next().getLong(0));
    }

    /** Up to {@code want} rows after {@code after}, newest first, and where to go on. */
    public Uni<Chunk> read(Prepared prepared, ActivityCursors.Position after, int want) {
        ActivityQuery query = prepared.query();
        if (usesLookup(query)) {
            return lookup(prepared, after, want, nextWindowEnd(query, after), 1, new ArrayList<>());
        }
        return scan(prepared, after, want);
    }

    static boolean usesLookup(ActivityQuery query) {
        return query.user() != null || query.referenceKey() != null;
    }

    // ---- scans: tenant (ledger_activity_tenant) and wallet (ledger_entry_wallet_seq) ----

    private Uni<Chunk> scan(Prepared prepared, ActivityCursors.Position after, int want) {
        ActivityQuery query = prepared.query();
        int budget = config.scanMaxRows();
        Sql sql = new Sql();
        String scope;
        String order;
        String predicate;
        if (query.isWallet()) {
            order = WALLET_ORDER;
            scope = "wallet_id = " + sql.p(query.walletId()) + " and seq >= " + sql.p(after.bound()) + " and seq < " + sql.p(after.seq());
            predicate = filters(query, sql, true);
        } else {
            order = TENANT_ORDER;
            StringBuilder s = new StringBuilder("tenant_id = " + sql.p(query.tenantId()) + " and occurred_at >= " + sql.p(time(after.bound())));
            if (query.to() != null) {
                s.append(" and occurred_at < ").append(sql.p(query.to().atOffset(ZoneOffset.UTC)));
            }
            if (after.occurredAtMicros() != Long.MAX_VALUE) {
                s.append(" and (occurred_at, wallet_id, seq) < (").append(sql.p(time(after.occurredAtMicros()))).append(", ")
                        .append(sql.p(after.walletId())).append(", ").append(sql.p(after.seq())).append(')');
            }
            scope = s.toString();
            predicate = filters(query, sql, false);
        }
        // the two limits are written into the text (whole numbers from here, not from the request's text): a generic plan
        // for a LIMIT parameter assumes a tenth of the rows, and must not be tempted away from the index order
        String b = Integer.toString(budget);
        String text = "select k.n, k.hit, k.occurred_at as k_at, k.wallet_id as k_wallet, k.seq as k_seq, " + ROW_COLUMNS + " from ("
                + " select s.n, s.hit, s.occurred_at, s.wallet_id, s.seq from ("
                + " select occurred_at, wallet_id, seq, coalesce(" + predicate + ", false) as hit, row_number() over (order by " + order
                + ") as n from ledger_entry where " + scope + " order by " + order + " limit " + b + ") s"
                + " where s.hit or s.n = " + b + " limit " + (want + 1) + ") k"
                + " left join ledger_entry e on k.hit and e.wallet_id = k.wallet_id and e.seq = k.seq order by k.n";
        return db.preparedQuery(text).execute(sql.tuple()).map(rows -> {
            List<Activity.Row> out = new ArrayList<>();
            ActivityCursors.Position last = null;
            for (Row row : rows) {
                ActivityCursors.Position here = new ActivityCursors.Position(micros(row.getOffsetDateTime("k_at")),
                        row.getString("k_wallet"), row.getLong("k_seq"), after.bound());
                if (Boolean.TRUE.equals(row.getBoolean("hit"))) {
                    if (out.size() == want) { // one more than asked: there is a next page, after the last row shown
                        return new Chunk(out, last);
                    }
                    out.add(row(row, prepared.zone()));
                }
                last = here;
                if (row.getLong("n") == budget) { // read as far as a page may: go on after the last row read
                    return new Chunk(out, here);
                }
            }
            return new Chunk(out, null);
        });
    }

    /**
     * The filters as one SQL condition on ledger_entry's columns (the tenant index holds type, amount_micros, item and
     * channel, so on a tenant's scan they are compared in the index). {@code exactTimes}: also compare the range given.
     */
    static String filters(ActivityQuery query, Sql sql, boolean exactTimes) {
        List<String> and = new ArrayList<>();
        and.add(query.type() == null ? MOVEMENTS : "type = " + sql.p(query.type()));
        if (query.item() != null) {
            and.add("item = " + sql.p(query.item()));
        }
        if (query.channel() != null) {
            and.add("channel = " + sql.p(query.channel()));
        }
        if (query.minAmountMicros() != null) {
            and.add("amount_micros >= " + sql.p(query.minAmountMicros()));
        }
        if (query.maxAmountMicros() != null) {
            and.add("amount_micros <= " + sql.p(query.maxAmountMicros()));
        }
        if (query.user() != null) {
            and.add("type = 'debit.approved' and user_name = " + sql.p(query.user()));
        }
        if (query.referenceKey() != null) {
            and.add("type = 'debit.approved' and data->'reference'->>" + sql.p(query.referenceKey()) + " = " + sql.p(query.referenceValue()));
        }
        if (exactTimes && query.from() != null) {
            and.add("occurred_at >= " + sql.p(query.from().atOffset(ZoneOffset.UTC)));
        }
        if (exactTimes && query.to() != null) {
            and.add("occurred_at < " + sql.p(query.to().atOffset(ZoneOffset.UTC)));
        }
        return "(" + String.join(" and ", and) + ")";
    }

    // ---- look-ups: user and reference filters ----

    /** The exclusive end of the next window: the cursor's time (inclusive of its instant), the range's end, or tomorrow. */
    private static long nextWindowEnd(ActivityQuery query, ActivityCursors.Position after) {
        long end = query.to() != null ? micros(query.to()) : micros(Instant.now().plus(Duration.ofDays(1)));
        return after.occurredAtMicros() == Long.MAX_VALUE ? end : Math.min(end, after.occurredAtMicros() + 1);
    }

    /** Probes windows of {@code days} days ending at {@code end}, newest first, doubling while the page is not full. */
    private Uni<Chunk> lookup(Prepared prepared, ActivityCursors.Position after, int want, long end, int days, List<Activity.Row> found) {
        ActivityQuery query = prepared.query();
        long from = after.bound();
        long start = Math.max(from, end - days * 86_400_000_000L);
        Sql sql = new Sql();
        List<Long> keys = new ArrayList<>();
        for (LocalDate day = utcDay(start); !day.isAfter(utcDay(end - 1)); day = day.plusDays(1)) {
            keys.add(query.referenceKey() != null ? LookupKeys.reference(query.tenantId(), day, query.referenceKey(), query.referenceValue())
                    : LookupKeys.user(query.tenantId(), day, query.user()));
        }
        StringBuilder where = new StringBuilder("lookup_keys && " + sql.p(keys.toArray(new Long[0])) + " and tenant_id = "
                + sql.p(query.tenantId()));
        String order;
        if (query.isWallet()) {
            where.append(" and wallet_id = ").append(sql.p(query.walletId()));
            if (after.seq() != Long.MAX_VALUE) {
                where.append(" and seq < ").append(sql.p(after.seq()));
            }
            order = WALLET_ORDER;
        } else {
            if (after.occurredAtMicros() != Long.MAX_VALUE) {
                where.append(" and (occurred_at, wallet_id, seq) < (").append(sql.p(time(after.occurredAtMicros()))).append(", ")
                        .append(sql.p(after.walletId())).append(", ").append(sql.p(after.seq())).append(')');
            }
            order = TENANT_ORDER;
        }
        where.append(" and occurred_at >= ").append(sql.p(time(start))).append(" and occurred_at < ").append(sql.p(time(end)))
                .append(" and ").append(filters(query, sql, false));
        // materialized: the matches come from the look-up index (a bitmap of the window's keys), then are ordered; the
        // planner must not prefer walking the tenant's index in order and testing every row for the keys
        String text = "with m as materialized (select " + ROW_COLUMNS + " from ledger_entry e where " + where + ") select * from m order by "
                + order + " limit " + (want + 1 - found.size());
        return db.preparedQuery(text).execute(sql.tuple()).chain(rows -> {
            for (Row row : rows) {
                found.add(row(row, prepared.zone()));
            }
            if (found.size() > want) {
                Activity.Row last = found.get(want - 1);
                return Uni.createFrom().item(new Chunk(new ArrayList<>(found.subList(0, want)), new ActivityCursors.Position(
                        micros(last.occurredAt()), last.walletId(), last.seq(), from)));
            }
            if (start <= from) {
                return Uni.createFrom().item(new Chunk(found, null));
            }
            return lookup(prepared, after, want, start, Math.min(days * 2, WINDOW_DAYS_MAX), found);
        });
    }

    // ---- debits: by id, by reference ----

    /** The debit and its reversals. Error: {@code debit-not-found} (not in the ledger, or another tenant's). */
    public Uni<Activity.Debit> debit(String tenantId, String debitId) {
        if (!io.tollgate.infra.Ids.isWellFormed(debitId)) {
            return Uni.createFrom().failure(debitNotFound(debitId));
        }
        String text = "select " + ROW_COLUMNS + ", e.data->>'priceBasis' as price_basis, e.data->>'destinationCountry' as destination,"
                + " e.data->>'origin' as origin, e.data->>'direction' as direction, e.data->'forced' as forced"
                + " from ledger_entry e where e.lookup_keys @> $1 and e.tenant_id = $2 and e.debit_id = $3"
                + " and e.type in ('debit.approved', 'debit.reversed') order by e.occurred_at, e.seq";
        return zones.zoneOf(tenantId).chain(zone -> db.preparedQuery(text)
                .execute(Tuple.of(new Long[] {LookupKeys.debit(tenantId, debitId)}, tenantId, debitId)).chain(rows -> {
                    List<Activity.Debit> debits = debits(rows, zone);
                    if (debits.isEmpty()) {
                        return Uni.createFrom().failure(debitNotFound(debitId));
                    }
                    Activity.Debit debit = debits.get(0);
                    return db.preparedQuery(SpendingService.WALLET_AS_OF_SQL).execute(Tuple.of(debit.walletId()))
                            .map(asOf -> debit.withAsOf(first(asOf)));
                }));
    }

    /**
     * The newest {@code limit} debits of the last {@value ActivityQuery#RANGE_MONTHS_MAX} months that carry the reference
     * entry, each with its reversals: one probe of the look-up index for every day of the range, one for the reversals.
     */
    public Uni<Activity.Search> debitsByReference(String tenantId, String reference, int limit) {
        String[] entry = ActivityQuery.reference(reference);
        if (entry == null) {
            throw ActivityQuery.invalid("reference is required: key:value, e.g. reference=messageId:m-1001");
        }
        Instant now = Instant.now();
        List<Long> keys = new ArrayList<>();
        for (LocalDate day = utcDay(micros(ActivityQuery.monthsBefore(now))); !day.isAfter(utcDay(micros(now)).plusDays(1)); day = day.plusDays(1)) {
            keys.add(LookupKeys.reference(tenantId, day, entry[0], entry[1]));
        }
        String text = "select e.debit_id from ledger_entry e where e.lookup_keys && $1 and e.tenant_id = $2 and e.type = 'debit.approved'"
                + " and e.data->'reference'->>$3 = $4 and e.occurred_at >= $5 order by " + TENANT_ORDER + " limit " + (limit + 1);
        return db.preparedQuery(text).execute(Tuple.of(keys.toArray(new Long[0]), tenantId, entry[0], entry[1],
                ActivityQuery.monthsBefore(now).atOffset(ZoneOffset.UTC))).chain(ids -> {
                    List<String> debitIds = new ArrayList<>();
                    ids.forEach(row -> debitIds.add(row.getString(0)));
                    boolean more = debitIds.size() > limit;
                    List<String> shown = more ? debitIds.subList(0, limit) : debitIds;
                    return withReversals(tenantId, shown).chain(debits -> tenantAsOf(tenantId)
                            .map(asOf -> new Activity.Search(debits, more, asOf)));
                });
    }

    /** The debits (in the order given) with their reversals: one probe of the look-up index for all of them. */
    private Uni<List<Activity.Debit>> withReversals(String tenantId, List<String> debitIds) {
        if (debitIds.isEmpty()) {
            return Uni.createFrom().item(List.of());
        }
        Long[] keys = debitIds.stream().map(id -> LookupKeys.debit(tenantId, id)).toArray(Long[]::new);
        String text = "select " + ROW_COLUMNS + ", e.data->>'priceBasis' as price_basis, e.data->>'destinationCountry' as destination,"
                + " e.data->>'origin' as origin, e.data->>'direction' as direction, e.data->'forced' as forced"
                + " from ledger_entry e where e.lookup_keys && $1 and e.tenant_id = $2 and e.debit_id = any($3)"
                + " and e.type in ('debit.approved', 'debit.reversed') order by e.occurred_at, e.seq";
        return zones.zoneOf(tenantId).chain(zone -> db.preparedQuery(text).execute(Tuple.of(keys, tenantId, debitIds.toArray(new String[0])))
                .map(rows -> {
                    Map<String, Activity.Debit> byId = new TreeMap<>();
                    debits(rows, zone).forEach(d -> byId.put(d.debitId(), d));
                    return debitIds.stream().map(byId::get).filter(java.util.Objects::nonNull).toList();
                }));
    }

    /** Debits with their reversals, from rows in time order (a reversal follows its debit). */
    private static List<Activity.Debit> debits(RowSet<Row> rows, ZoneId zone) {
        Map<String, Row> approved = new java.util.LinkedHashMap<>();
        Map<String, List<Activity.Reversal>> reversals = new TreeMap<>();
        for (Row row : rows) {
            String debitId = row.getString("debit_id");
            if ("debit.approved".equals(row.getString("type"))) {
                approved.putIfAbsent(debitId, row);
            } else {
                Instant at = row.getOffsetDateTime("occurred_at").toInstant();
                reversals.computeIfAbsent(debitId, id -> new ArrayList<>()).add(new Activity.Reversal(row.getString("reversal_id"),
                        row.getLong("amount_micros"), row.getLong("balance_after_micros"), row.getLong("seq"), at, local(at, zone),
                        row.getString("reason"), row.getString("key_id")));
            }
        }
        List<Activity.Debit> out = new ArrayList<>();
        approved.forEach((debitId, row) -> {
            List<Activity.Reversal> own = reversals.getOrDefault(debitId, List.of());
            long reversed = own.stream().mapToLong(Activity.Reversal::amountMicros).sum();
            long amount = row.getLong("amount_micros");
            Instant at = row.getOffsetDateTime("occurred_at").toInstant();
            Object forced = row.getValue("forced");
            out.add(new Activity.Debit(debitId, row.getString("wallet_id"), row.getString("currency"), amount, reversed, amount - reversed,
                    row.getLong("balance_after_micros"), row.getString("item"), number(row.getValue("quantity")),
                    number(row.getValue("unit_price")), row.getString("price_basis"), row.getString("destination"), row.getString("origin"),
                    row.getString("direction"), forced instanceof Boolean b ? b : null, row.getString("channel"), row.getString("user_name"),
                    reference(row.getValue("reference")), row.getString("key_id"), at, local(at, zone), own,
                    new Activity.LedgerState("recorded", row.getLong("seq")), null));
        });
        return out;
    }

    static ProblemException debitNotFound(String debitId) {
        return new ProblemException(ProblemType.DEBIT_NOT_FOUND, "no debit " + debitId + " in the ledger. Declined debits are never "
                + "stored; an approved debit appears here within about a second of its approval.");
    }

    // ---- rows, times, parameters ----

    static Activity.Row row(Row row, ZoneId zone) {
        Instant at = row.getOffsetDateTime("occurred_at").toInstant();
        String type = row.getString("type");
        long amount = row.getLong("amount_micros");
        return new Activity.Row(at, local(at, zone), type, row.getString("wallet_id"), row.getLong("seq"), row.getString("currency"),
                "debit.approved".equals(type) ? -amount : amount, row.getLong("balance_after_micros"), row.getString("item"),
                number(row.getValue("quantity")), number(row.getValue("unit_price")), row.getString("channel"), row.getString("user_name"),
                reference(row.getValue("reference")), row.getString("debit_id"), row.getString("reversal_id"), row.getString("credit_id"),
                row.getString("top_up_id"), row.getString("reason"), row.getString("key_id"), row.getString("event_id"));
    }

    static String local(Instant at, ZoneId zone) {
        return LOCAL.format(at.atZone(zone));
    }

    private static Long number(Object value) {
        return value instanceof Number n ? n.longValue() : null;
    }

    private static Map<String, String> reference(Object value) {
        if (!(value instanceof JsonObject object) || object.isEmpty()) {
            return null;
        }
        Map<String, String> out = new TreeMap<>();
        object.forEach(entry -> out.put(entry.getKey(), String.valueOf(entry.getValue())));
        return Collections.unmodifiableMap(out);
    }

    private Uni<Instant> asOf(ActivityQuery query) {
        return query.isWallet() ? db.preparedQuery(SpendingService.WALLET_AS_OF_SQL).execute(Tuple.of(query.walletId())).map(ActivityService::first)
                : tenantAsOf(query.tenantId());
    }

    private Uni<Instant> tenantAsOf(String tenantId) {
        return db.preparedQuery(SpendingService.TENANT_AS_OF_SQL).execute(Tuple.of(tenantId)).map(ActivityService::first);
    }

    private static Instant first(RowSet<Row> rows) {
        return rows.iterator().hasNext() ? rows.iterator().next().getOffsetDateTime(0).toInstant() : null;
    }

    static long micros(Instant instant) {
        return ChronoUnit.MICROS.between(Instant.EPOCH, instant);
    }

    static long micros(OffsetDateTime time) {
        return micros(time.toInstant());
    }

    static OffsetDateTime time(long micros) {
        return Instant.EPOCH.plus(micros, ChronoUnit.MICROS).atOffset(ZoneOffset.UTC);
    }

    static LocalDate utcDay(long micros) {
        return time(micros).toLocalDate();
    }

    /** Numbered parameters ($1, $2, …) for a statement built from the filters given; values never enter the text. */
    static final class Sql {
        private final List<Object> values = new ArrayList<>();

        String p(Object value) {
            values.add(value);
            return "$" + values.size();
        }

        Tuple tuple() {
            return Tuple.from(values);
        }
    }
}
