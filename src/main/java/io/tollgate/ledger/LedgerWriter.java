package io.tollgate.ledger;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.hibernate.reactive.panache.Panache;
import io.quarkus.runtime.ShutdownEvent;
import io.smallrye.mutiny.Uni;
import io.smallrye.mutiny.infrastructure.Infrastructure;
import io.tollgate.infra.Unis;
import io.tollgate.infra.db.SqlErrors;
import io.smallrye.reactive.messaging.MutinyEmitter;
import io.smallrye.reactive.messaging.kafka.api.OutgoingKafkaRecordMetadata;
import jakarta.annotation.Priority;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.interceptor.Interceptor;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.eclipse.microprofile.reactive.messaging.Channel;
import org.eclipse.microprofile.reactive.messaging.Incoming;
import org.eclipse.microprofile.reactive.messaging.Message;
import org.eclipse.microprofile.reactive.messaging.OnOverflow;
import org.hibernate.reactive.mutiny.Mutiny;
import org.jboss.logging.Logger;

/**
 * Kafka → PostgreSQL: writes each wallet event once into the ledger and its monthly totals.
 *
 * <p>Events arrive in batches (one Kafka poll, at most max.poll.records) and a batch is written in one transaction:
 * one query for the wallets' last seq, one multi-row insert that skips known event ids, one upsert of the monthly
 * totals of the rows that were new. At-least-once: offsets are committed after the transaction, so a crash in
 * between redelivers the batch and the insert skips what is already there. A gap in a wallet's sequence is counted
 * and logged, never skipped silently.
 *
 * <p>Only an event that can never be written goes to the dead-letter topic, with the reason in the header
 * {@code dead-letter-reason}: it is not a Tollgate event, or another event already holds its wallet and seq (a batch
 * with such a conflict is written again event by event so that only that event is set aside). Everything else
 * (database down, timeouts) is retried with backoff until it succeeds: the ledger lags, it loses nothing.
 */
@ApplicationScoped
public class LedgerWriter {
    private static final Logger LOG = Logger.getLogger(LedgerWriter.class);
    static final Set<String> FUNDS_ADDED = Set.of("wallet.credited", "topup.applied");
    static final Duration RETRY_FIRST = Duration.ofMillis(200);
    static final Duration RETRY_MAX = Duration.ofSeconds(10);
    static final String REASON_HEADER = "dead-letter-reason";
    static final String LAST_SEQS_SQL = """
            select w, (select seq from ledger_entry where wallet_id = w order by seq desc limit 1)
            from unnest(cast(?1 as varchar[])) as w""";
    static final String INSERT_SQL = """
            insert into ledger_entry (event_id, wallet_id, tenant_id, seq, type, currency, amount_micros, balance_after_micros,
                occurred_at, data, item, channel, user_name, key_id, debit_id, lookup_keys)
            select e, w, t, cast(s as bigint), ty, c, cast(a as bigint), cast(b as bigint), cast(o as timestamptz), cast(d as jsonb),
                i, ch, u, k, db, cast(lk as bigint[])
            from unnest(cast(?1 as varchar[]), cast(?2 as varchar[]), cast(?3 as varchar[]), cast(?4 as text[]), cast(?5 as varchar[]),
                cast(?6 as varchar[]), cast(?7 as text[]), cast(?8 as text[]), cast(?9 as text[]), cast(?10 as text[]),
                cast(?11 as varchar[]), cast(?12 as varchar[]), cast(?13 as varchar[]), cast(?14 as varchar[]), cast(?15 as varchar[]),
                cast(?16 as text[])) as u(e, w, t, s, ty, c, a, b, o, d, i, ch, u, k, db, lk)
            on conflict (event_id) do nothing returning event_id""";
    static final String MONTHLY_SQL = """
            insert into monthly_totals (wallet_id, month, item, channel, tenant_id, currency, funds_added_micros, usage_micros,
                usage_count, usage_units, free_count, forced_micros, reversed_micros, reversal_count, topup_micros, funds_count)
            select w, cast(m as date), i, ch, t, c, cast(f as bigint), cast(u as bigint), cast(n as bigint), cast(un as bigint),
                cast(fr as bigint), cast(fo as bigint), cast(rv as bigint), cast(rn as bigint), cast(tu as bigint), cast(fn as bigint)
            from unnest(cast(?1 as varchar[]), cast(?2 as text[]), cast(?3 as varchar[]), cast(?4 as varchar[]), cast(?5 as varchar[]),
                cast(?6 as varchar[]), cast(?7 as text[]), cast(?8 as text[]), cast(?9 as text[]), cast(?10 as text[]),
                cast(?11 as text[]), cast(?12 as text[]), cast(?13 as text[]), cast(?14 as text[]), cast(?15 as text[]),
                cast(?16 as text[])) as x(w, m, i, ch, t, c, f, u, n, un, fr, fo, rv, rn, tu, fn)
            on conflict (wallet_id, month, item, channel) do update set
                funds_added_micros = monthly_totals.funds_added_micros + excluded.funds_added_micros,
                usage_micros = monthly_totals.usage_micros + excluded.usage_micros,
                usage_count = monthly_totals.usage_count + excluded.usage_count,
                usage_units = monthly_totals.usage_units + excluded.usage_units,
                free_count = monthly_totals.free_count + excluded.free_count,
                forced_micros = monthly_totals.forced_micros + excluded.forced_micros,
                reversed_micros = monthly_totals.reversed_micros + excluded.reversed_micros,
                reversal_count = monthly_totals.reversal_count + excluded.reversal_count,
                topup_micros = monthly_totals.topup_micros + excluded.topup_micros,
                funds_count = monthly_totals.funds_count + excluded.funds_count""";
    static final String DAILY_SQL = """
            insert into daily_totals (wallet_id, day, tenant_id, currency, usage_micros, usage_count, funds_added_micros)
            select w, cast(d as date), t, c, cast(u as bigint), cast(n as bigint), cast(f as bigint)
            from unnest(cast(?1 as varchar[]), cast(?2 as text[]), cast(?3 as varchar[]), cast(?4 as varchar[]), cast(?5 as text[]),
                cast(?6 as text[]), cast(?7 as text[])) as x(w, d, t, c, u, n, f)
            on conflict (wallet_id, day) do update set
                usage_micros = daily_totals.usage_micros + excluded.usage_micros,
                usage_count = daily_totals.usage_count + excluded.usage_count,
                funds_added_micros = daily_totals.funds_added_micros + excluded.funds_added_micros""";
    static final String ZONES_SQL = "select tenant_id, time_zone from tenant_zone where tenant_id = any(cast(?1 as varchar[]))";

    private final ObjectMapper json;
    private final MutinyEmitter<String> deadLetters;
    private final Counter written;
    private final Counter duplicates;
    private final Counter gaps;
    private final Counter deadLettered;
    private volatile boolean stopped;

    public LedgerWriter(ObjectMapper json, MeterRegistry metrics,
            @Channel("wallet-events-dlq") @OnOverflow(value = OnOverflow.Strategy.BUFFER, bufferSize = 4096) MutinyEmitter<String> deadLetters) {
        this.json = json;
        this.deadLetters = deadLetters;
        this.written = Counter.builder("tollgate.ledger.written").description("Ledger rows written (new events)").register(metrics);
        this.duplicates = Counter.builder("tollgate.ledger.duplicates")
                .description("Events already in the ledger when they arrived again (redeliveries), not written twice").register(metrics);
        this.gaps = Counter.builder("tollgate.ledger.sequence.gaps")
                .description("Events that arrived more than one seq above their wallet's last ledger row").register(metrics);
        this.deadLettered = Counter.builder("tollgate.ledger.dead.lettered")
                .description("Events set aside in the dead-letter topic: not Tollgate events, or their wallet's seq already taken")
                .register(metrics);
    }

    @Incoming("wallet-events-in")
    public Uni<Void> write(ConsumerRecords<String, String> records) {
        // Parsing a poll of up to 500 events takes milliseconds: done on a worker thread, not on an event loop that also
        // answers debits; the database steps then run back on this context (Hibernate Reactive's session lives there).
        return Unis.onCallersContext(Uni.createFrom().item(() -> parse(records)).runSubscriptionOn(Infrastructure.getDefaultWorkerPool()))
                .chain(parsed -> {
                    List<Uni<Void>> setAside = new ArrayList<>(parsed.rejected().size());
                    parsed.rejected().forEach(r -> setAside.add(deadLetter(r.value(), r.key(), r.reason())));
                    return Unis.all(setAside).chain(() -> parsed.events().isEmpty() ? Uni.createFrom().voidItem() : writeBatch(parsed.events()));
                });
    }

    private record Rejected(String value, String key, String reason) {
    }

    private record Parsed(List<LedgerEvent> events, List<Rejected> rejected) {
    }

    private Parsed parse(ConsumerRecords<String, String> records) {
        List<LedgerEvent> events = new ArrayList<>(records.count());
        List<Rejected> rejected = new ArrayList<>();
        for (ConsumerRecord<String, String> record : records) {
            try {
                events.add(LedgerEvent.parse(json, record.value()));
            } catch (IllegalArgumentException e) {
                rejected.add(new Rejected(record.value(), record.key(), e.getMessage()));
            }
        }
        return new Parsed(events, rejected);
    }

    private Uni<Void> writeBatch(List<LedgerEvent> events) {
        return retried(store(events), events.size() + " events")
                .onFailure(LedgerWriter::isPermanent)
                .recoverWithUni(conflict -> one(events, 0)); // isolate the event that conflicts
    }

    /** Writes the events one by one from {@code index}, setting aside those that conflict. */
    private Uni<Void> one(List<LedgerEvent> events, int index) {
        if (index >= events.size()) {
            return Uni.createFrom().voidItem();
        }
        LedgerEvent event = events.get(index);
        return retried(store(List.of(event)), event.eventId())
                .onFailure(LedgerWriter::isPermanent)
                .recoverWithUni(conflict -> deadLetter(event.cloudEvent(), event.walletId(), String.valueOf(rootMessage(conflict))))
                .chain(() -> one(events, index + 1));
    }

    private Uni<Void> retried(Uni<Void> write, String what) {
        return write.onFailure(failure -> !isPermanent(failure) && !stopped)
                .invoke(failure -> LOG.warnf("ledger write of %s failed (%s); retrying", what, failure.toString()))
                .onFailure(failure -> !isPermanent(failure) && !stopped).retry().withBackOff(RETRY_FIRST, RETRY_MAX).indefinitely()
                .onFailure(failure -> !isPermanent(failure)).recoverWithUni(failure -> leftForNextStart(what, failure));
    }

    /**
     * A write that outlived its consumer (the database pool closes after it): never acknowledged, so its offsets were
     * not committed and the next start reads the batch again. The Uni never completes: a failure would count as a
     * poison batch, a success would acknowledge what was not written.
     */
    private Uni<Void> leftForNextStart(String what, Throwable failure) {
        LOG.debugf("ledger write of %s cut off by the stop (%s); it is read again at the next start", what, failure.toString());
        return Uni.createFrom().nothing();
    }

    /** After KafkaSetup has closed the consumers (their in-flight batches had until then to finish). */
    void stopped(@Observes @Priority(Interceptor.Priority.PLATFORM_AFTER) ShutdownEvent stop) {
        stopped = true;
    }

    /** A failure no retry can mend: another event already holds this wallet's seq. */
    static boolean isPermanent(Throwable failure) {
        return SqlErrors.mentions(failure, "ledger_entry_wallet_seq");
    }

    private Uni<Void> store(List<LedgerEvent> events) {
        return Uni.createFrom().deferred(() -> Panache.withTransaction(() -> Panache.getSession().chain(session ->
                lastSeqs(session, events).chain(last -> {
                    reportGaps(events, last);
                    return insert(session, events);
                }).chain(inserted -> {
                    duplicates.increment(events.size() - inserted.size());
                    written.increment(inserted.size());
                    List<LedgerEvent> fresh = events.stream().filter(e -> inserted.contains(e.eventId())).toList();
                    return fresh.isEmpty() ? Uni.createFrom().voidItem() : zones(session, fresh)
                            .chain(zones -> addToMonths(session, fresh, zones).chain(() -> addToDays(session, fresh, zones)));
                }))));
    }

    /** The time zones of the events' tenants, read in the batch's transaction; a tenant without one is UTC. */
    private Uni<Map<String, java.time.ZoneId>> zones(Mutiny.Session session, List<LedgerEvent> events) {
        String[] tenants = events.stream().map(LedgerEvent::tenantId).distinct().toArray(String[]::new);
        return session.createNativeQuery(ZONES_SQL, Object[].class).setParameter(1, tenants).getResultList().map(rows -> {
            Map<String, java.time.ZoneId> zones = new HashMap<>();
            rows.forEach(row -> zones.put((String) row[0], TenantZones.zoneOrUtc((String) row[1])));
            return zones;
        });
    }

    /**
     * Each wallet's last seq in the ledger: one backward index probe per wallet. (A {@code max(seq) ... group by} reads
     * every row of the wallets instead, so its cost grew with the ledger.)
     */
    private Uni<Map<String, Long>> lastSeqs(Mutiny.Session session, List<LedgerEvent> events) {
        String[] wallets = events.stream().map(LedgerEvent::walletId).distinct().toArray(String[]::new);
        return session.createNativeQuery(LAST_SEQS_SQL, Object[].class).setParameter(1, wallets).getResultList().map(rows -> {
            Map<String, Long> last = new HashMap<>();
            rows.forEach(row -> {
                if (row[1] != null) {
                    last.put((String) row[0], ((Number) row[1]).longValue());
                }
            });
            return last;
        });
    }

    private void reportGaps(List<LedgerEvent> events, Map<String, Long> last) {
        Map<String, Long> expected = new HashMap<>(last);
        events.stream().sorted(Comparator.comparing(LedgerEvent::walletId).thenComparingLong(LedgerEvent::seq)).forEach(e -> {
            long before = expected.getOrDefault(e.walletId(), 0L);
            if (e.seq() > before + 1) {
                gaps.increment();
                LOG.errorf("ledger gap in wallet %s: seq %d follows %d", e.walletId(), e.seq(), before);
            }
            expected.put(e.walletId(), Math.max(before, e.seq()));
        });
    }

    /** One statement for the batch, whatever its size: the columns travel as arrays, so the text (and plan) is reused. */
    private Uni<Set<String>> insert(Mutiny.Session session, List<LedgerEvent> events) {
        int n = events.size();
        String[][] columns = new String[16][n];
        for (int i = 0; i < n; i++) {
            LedgerEvent e = events.get(i);
            ActivityColumns activity = e.columns();
            columns[10][i] = activity.item();
            columns[11][i] = activity.channel();
            columns[12][i] = activity.user();
            columns[13][i] = activity.keyId();
            columns[14][i] = activity.debitId();
            columns[15][i] = activity.lookupKeys();
            columns[0][i] = e.eventId();
            columns[1][i] = e.walletId();
            columns[2][i] = e.tenantId();
            columns[3][i] = Long.toString(e.seq());
            columns[4][i] = e.type();
            columns[5][i] = e.currency();
            columns[6][i] = Long.toString(e.amountMicros());
            columns[7][i] = Long.toString(e.balanceAfterMicros());
            columns[8][i] = e.occurredAt().toString();
            columns[9][i] = e.detail();
        }
        return withColumns(session.createNativeQuery(INSERT_SQL, String.class), columns).getResultList().map(HashSet::new);
    }

    /** Binds one array per column to ?1, ?2, … in order (the statements {@code unnest} them into rows). */
    private static <Q extends Mutiny.AbstractQuery> Q withColumns(Q query, String[][] columns) {
        for (int c = 0; c < columns.length; c++) {
            query.setParameter(c + 1, columns[c]);
        }
        return query;
    }

    /**
     * One upsert for the batch: totals summed here per wallet, tenant-local month, item and channel first
     * ({@link MonthlyFigures}). A reversal counts in the month, item and channel of the debit it reverses.
     */
    private Uni<Void> addToMonths(Mutiny.Session session, List<LedgerEvent> events, Map<String, java.time.ZoneId> zones) {
        Map<List<Object>, MonthlyFigures> sums = new LinkedHashMap<>();
        for (LedgerEvent e : events) {
            MonthlyFigures.Kind kind = MonthlyFigures.kindOf(e.type());
            if (kind == null) {
                continue;
            }
            LocalDate month = e.usageTime().atZoneSameInstant(zone(zones, e)).toLocalDate().withDayOfMonth(1);
            sums.computeIfAbsent(List.of(e.walletId(), month, e.item(), e.channel()), k -> new MonthlyFigures(e)).add(kind, e);
        }
        if (sums.isEmpty()) {
            return Uni.createFrom().voidItem();
        }
        String[][] columns = new String[16][sums.size()];
        int i = 0;
        for (Map.Entry<List<Object>, MonthlyFigures> entry : sums.entrySet()) {
            entry.getValue().into(columns, i++, entry.getKey().get(1).toString());
        }
        return withColumns(session.createNativeQuery(MONTHLY_SQL), columns).executeUpdate().replaceWithVoid();
    }

    /** Usage and funds per wallet and tenant-local day: one upsert for the batch. */
    private Uni<Void> addToDays(Mutiny.Session session, List<LedgerEvent> events, Map<String, java.time.ZoneId> zones) {
        Map<List<Object>, long[]> sums = new LinkedHashMap<>();
        Map<List<Object>, LedgerEvent> sample = new HashMap<>();
        for (LedgerEvent e : events) {
            MonthlyFigures.Kind kind = MonthlyFigures.kindOf(e.type());
            if (kind == null) {
                continue;
            }
            List<Object> key = List.of(e.walletId(), e.usageTime().atZoneSameInstant(zone(zones, e)).toLocalDate());
            long[] sum = sums.computeIfAbsent(key, k -> new long[3]);
            sum[0] += kind == MonthlyFigures.Kind.USAGE ? e.amountMicros() : kind == MonthlyFigures.Kind.REVERSAL ? -e.amountMicros() : 0;
            sum[1] += kind == MonthlyFigures.Kind.USAGE ? 1 : 0;
            sum[2] += kind.isFunds() ? e.amountMicros() : 0;
            sample.putIfAbsent(key, e);
        }
        if (sums.isEmpty()) {
            return Uni.createFrom().voidItem();
        }
        String[][] columns = new String[7][sums.size()];
        int i = 0;
        for (Map.Entry<List<Object>, long[]> entry : sums.entrySet()) {
            LedgerEvent e = sample.get(entry.getKey());
            columns[0][i] = e.walletId();
            columns[1][i] = entry.getKey().get(1).toString();
            columns[2][i] = e.tenantId();
            columns[3][i] = e.currency();
            columns[4][i] = Long.toString(entry.getValue()[0]);
            columns[5][i] = Long.toString(entry.getValue()[1]);
            columns[6][i] = Long.toString(entry.getValue()[2]);
            i++;
        }
        return withColumns(session.createNativeQuery(DAILY_SQL), columns).executeUpdate().replaceWithVoid();
    }

    private static java.time.ZoneId zone(Map<String, java.time.ZoneId> zones, LedgerEvent e) {
        return zones.getOrDefault(e.tenantId(), ZoneOffset.UTC);
    }

    private Uni<Void> deadLetter(String cloudEvent, String walletId, String reason) {
        deadLettered.increment();
        LOG.errorf("ledger: event set aside in the dead-letter topic: %s", reason);
        RecordHeaders headers = new RecordHeaders();
        headers.add(REASON_HEADER, String.valueOf(reason).getBytes(StandardCharsets.UTF_8));
        OutgoingKafkaRecordMetadata.OutgoingKafkaRecordMetadataBuilder<String> metadata =
                OutgoingKafkaRecordMetadata.<String>builder().withHeaders(headers);
        if (walletId != null) { // the original key: the wallet, so the event stays with its wallet's partition
            metadata.withKey(walletId);
        }
        return deadLetters.sendMessage(Message.of(cloudEvent).addMetadata(metadata.build()));
    }

    private static String rootMessage(Throwable failure) {
        Throwable t = failure;
        while (t.getCause() != null && t.getCause() != t) {
            t = t.getCause();
        }
        return t.getMessage() != null && t.getMessage().contains("ledger_entry_wallet_seq") ? t.getMessage()
                : failure.getMessage();
    }

    /**
     * The fields of a wallet event the ledger keeps, read from its CloudEvent. For a reversal, {@code debitOccurredAt}
     * is the time of the debit it reverses (null for other events, and for reversals recorded before 2026-12-03).
     * {@code columns} are the activity log's columns of the row (V6__activity.sql).
     */
    record LedgerEvent(String eventId, String walletId, String tenantId, long seq, String type, String currency,
            long amountMicros, long balanceAfterMicros, OffsetDateTime occurredAt, String detail, String item, String channel,
            String cloudEvent, long quantity, boolean forced, OffsetDateTime debitOccurredAt, ActivityColumns columns) {

        /** When the usage this event moves happened: a reversal's debit's time, else the event's own. */
        OffsetDateTime usageTime() {
            return debitOccurredAt != null ? debitOccurredAt : occurredAt;
        }

        static LedgerEvent parse(ObjectMapper json, String cloudEvent) {
            try {
                JsonNode ce = json.readTree(cloudEvent);
                JsonNode data = ce.path("data");
                JsonNode detail = data.path("detail");
                String eventId = text(ce, "id"); // first: a message without an id is named by that, as before
                String type = text(ce, "type");
                String tenantId = text(data, "tenantId");
                OffsetDateTime occurredAt = Instant.parse(text(data, "occurredAt")).atOffset(ZoneOffset.UTC);
                LedgerEvent event = new LedgerEvent(eventId, text(data, "walletId"), tenantId,
                        number(data, "seq"), type, text(data, "currency"), number(data, "amountMicros"),
                        number(data, "balanceAfterMicros"), occurredAt,
                        detail.isObject() ? detail.toString() : "{}", detail.path("item").asText(""), detail.path("channel").asText(""),
                        cloudEvent, detail.path("quantity").asLong(1), detail.path("forced").asBoolean(false),
                        detail.hasNonNull("debitOccurredAt") ? Instant.parse(detail.get("debitOccurredAt").asText()).atOffset(ZoneOffset.UTC)
                                : null, ActivityColumns.of(type, tenantId, occurredAt, detail));
                if (event.seq() < 1 || event.currency().length() != 3 || event.eventId().length() > 100
                        || event.walletId().length() > 64 || event.tenantId().length() > 64 || event.type().length() > 40
                        || event.item().length() > 64 || event.channel().length() > 64 || !event.columns().fits()) {
                    throw new IllegalArgumentException("a field is out of range for the ledger");
                }
                return event;
            } catch (RuntimeException | java.io.IOException e) {
                throw new IllegalArgumentException("not a Tollgate wallet event: " + e.getMessage(), e);
            }
        }

        private static String text(JsonNode node, String field) {
            JsonNode value = node.get(field);
            if (value == null || !value.isTextual()) {
                throw new IllegalArgumentException("missing text field " + field);
            }
            return value.asText();
        }

        private static long number(JsonNode node, String field) {
            JsonNode value = node.get(field);
            if (value == null || !value.isIntegralNumber()) {
                throw new IllegalArgumentException("missing integer field " + field);
            }
            return value.asLong();
        }
    }

    /**
     * The columns of the activity log (V6__activity.sql), from the detail of the four movement types; null elsewhere and
     * where the detail has no such field: {@code item}, {@code channel} (debits and reversals), {@code user_name} (debits),
     * {@code key_id} (the API key that acted), {@code debit_id} (debits and reversals) and the look-up keys
     * ({@link LookupKeys}, as a PostgreSQL array literal, or null when there are none).
     */
    record ActivityColumns(String item, String channel, String user, String keyId, String debitId, String lookupKeys) {
        static final Set<String> MOVEMENTS = Set.of("debit.approved", "debit.reversed", "wallet.credited", "topup.applied");
        static final ActivityColumns NONE = new ActivityColumns(null, null, null, null, null, null);

        static ActivityColumns of(String type, String tenantId, OffsetDateTime occurredAt, JsonNode detail) {
            if (!MOVEMENTS.contains(type) || !detail.isObject()) {
                return NONE;
            }
            boolean debit = type.equals("debit.approved");
            boolean usage = debit || type.equals("debit.reversed");
            String debitId = usage ? textOrNull(detail, "debitId") : null;
            String user = debit ? textOrNull(detail, "user") : null;
            List<Long> keys = new ArrayList<>(4);
            if (debitId != null) {
                keys.add(LookupKeys.debit(tenantId, debitId));
            }
            LocalDate day = occurredAt.toLocalDate(); // occurredAt is UTC
            if (user != null) {
                keys.add(LookupKeys.user(tenantId, day, user));
            }
            JsonNode reference = detail.path("reference");
            if (debit && reference.isObject()) {
                reference.fields().forEachRemaining(entry -> keys.add(LookupKeys.reference(tenantId, day, entry.getKey(), entry.getValue().asText())));
            }
            StringBuilder array = new StringBuilder("{");
            for (int i = 0; i < keys.size(); i++) {
                array.append(i == 0 ? "" : ",").append(keys.get(i));
            }
            return new ActivityColumns(usage ? textOrNull(detail, "item") : null, usage ? textOrNull(detail, "channel") : null, user,
                    textOrNull(detail, "keyId"), debitId, keys.isEmpty() ? null : array.append('}').toString());
        }

        /** Within the columns' lengths (varchar 64, user 128): what Tollgate's own events always are. */
        boolean fits() {
            return length(item) <= 64 && length(channel) <= 64 && length(user) <= 128 && length(keyId) <= 64 && length(debitId) <= 64;
        }

        private static int length(String text) {
            return text == null ? 0 : text.codePointCount(0, text.length());
        }

        private static String textOrNull(JsonNode node, String field) {
            JsonNode value = node.get(field);
            return value == null || value.isNull() || value.asText().isEmpty() ? null : value.asText();
        }
    }
}
