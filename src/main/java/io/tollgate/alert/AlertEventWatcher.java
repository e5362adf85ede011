package io.tollgate.alert;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.eclipse.microprofile.reactive.messaging.Incoming;
import org.jboss.logging.Logger;

/**
 * Reads every wallet event (its own consumer group, tollgate-alerts) and raises LOW_BALANCE and BALANCE_DEPLETED.
 *
 * <p>Most events are debits at thousands per second, so the per-event work is a JSON parse and a map lookup: a
 * wallet's levels are cached for {@code levels-cache-ttl} (one query per batch for the wallets not cached), and the
 * (wallet, level, UTC day) triples already raised are remembered, so the database sees a low balance once per level
 * per day, not once per debit. The dedupe key {@code low:<wallet>:<level>:<day>} makes it once per day even across
 * pods and restarts. The day is the event's, so a redelivered event never alerts on another day.
 *
 * <p>Malformed events are counted and skipped. A failing raise (database away) is retried with backoff: alerts lag,
 * they are not lost; offsets are committed only after the batch.
 */
@ApplicationScoped
public class AlertEventWatcher {
    private static final Logger LOG = Logger.getLogger(AlertEventWatcher.class);
    static final Duration RETRY_FIRST = Duration.ofMillis(200);
    static final Duration RETRY_MAX = Duration.ofSeconds(10);
    static final int LEVELS_CACHE_MAX = 100_000;

    private final Pool db;
    private final AlertService alerts;
    private final AlertsConfig config;
    private final ObjectMapper json;
    private final Counter malformed;
    private final Map<String, Levels> levels = new ConcurrentHashMap<>();
    private final Set<String> raised = ConcurrentHashMap.newKeySet();
    /** Counts {@link #forget} calls, so a load of levels can tell that settings changed while it ran. */
    private final AtomicLong forgets = new AtomicLong();

    /** A wallet's levels, highest first, and when this pod stops trusting them. */
    record Levels(long[] levelsMicros, long expiresAtNanos) {
    }

    /** The fields of a wallet event that alerts look at. */
    record WalletEvent(String eventId, String type, String walletId, String tenantId, String currency, long balanceAfterMicros,
            Instant occurredAt) {
    }

    public AlertEventWatcher(Pool db, AlertService alerts, AlertsConfig config, ObjectMapper json, MeterRegistry metrics) {
        this.db = db;
        this.alerts = alerts;
        this.config = config;
        this.json = json;
        this.malformed = Counter.builder("tollgate.alerts.events.malformed")
                .description("Messages on the events topic the alert consumer skipped because they are not wallet events").register(metrics);
    }

    @Incoming("alert-events-in")
    public Uni<Void> watch(ConsumerRecords<String, String> records) {
        if (!config.consumerEnabled()) {
            return Uni.createFrom().voidItem();
        }
        List<WalletEvent> events = new ArrayList<>(records.count());
        Instant oldest = Instant.now().minus(config.eventMaxAge());
        long now = System.nanoTime();
        for (ConsumerRecord<String, String> record : records) {
            if (cannotAlert(record.value(), now)) {
                continue;
            }
            WalletEvent event = parse(record.value());
            if (event != null && event.occurredAt().isAfter(oldest)) {
                events.add(event);
            }
        }
        return events.isEmpty() ? Uni.createFrom().voidItem() : levelsOf(events).chain(batchLevels -> raiseAll(alertsFor(events, batchLevels)));
    }

    /** Drops the cached levels of a wallet: its settings changed (and committed) in this pod. */
    public void forget(String walletId) {
        forgets.incrementAndGet(); // first: a load in flight now must not cache what it read (see levelsOf)
        levels.remove(walletId);
    }

    /**
     * Most events are debits of wallets without levels: those are skipped without parsing the JSON (the watcher reads
     * every event of the topic, so this is its main cost). Reads "type" and "subject" (the wallet id) as Tollgate
     * writes them; anything unexpected goes the full way through {@link #parse}.
     */
    boolean cannotAlert(String cloudEvent, long nowNanos) {
        String type = field(cloudEvent, "\"type\":\"");
        String walletId = field(cloudEvent, "\"subject\":\"");
        if (type == null || walletId == null || type.equals("balance.depleted")) {
            return false;
        }
        Levels cached = levels.get(walletId);
        return cached != null && cached.levelsMicros().length == 0 && cached.expiresAtNanos() - nowNanos > 0;
    }

    private static String field(String json, String prefix) {
        int start = json == null ? -1 : json.indexOf(prefix);
        if (start < 0) {
            return null;
        }
        start += prefix.length();
        int end = json.indexOf('"', start);
        return end < 0 || end - start > 128 ? null : json.substring(start, end);
    }

    WalletEvent parse(String cloudEvent) {
        try {
            JsonNode ce = json.readTree(cloudEvent);
            JsonNode data = ce.path("data");
            JsonNode balance = data.path("balanceAfterMicros");
            String type = ce.path("type").asText(null);
            String walletId = data.path("walletId").asText(null);
            String tenantId = data.path("tenantId").asText(null);
            String time = data.path("occurredAt").asText(ce.path("time").asText(null));
            if (type == null || walletId == null || tenantId == null || time == null || !balance.isIntegralNumber()) {
                throw new IllegalArgumentException("a field is missing");
            }
            return new WalletEvent(data.path("eventId").asText(ce.path("id").asText("")), type, walletId, tenantId,
                    data.path("currency").asText(""), balance.asLong(), Instant.parse(time));
        } catch (RuntimeException | java.io.IOException e) {
            malformed.increment();
            LOG.warnf("alerts: skipped an event that is not a Tollgate wallet event (%s)", e.getMessage());
            return null;
        }
    }

    /**
     * The levels of the batch's wallets: the cached ones, and those not cached or stale loaded in one query. A load
     * that overlaps a {@link #forget} may have read the levels from before that change (its query started before the
     * change committed): it still serves this batch, whose events were polled before the change, but it is not cached,
     * or the wallet's next events (the first to see the change) would be checked against the old levels for a TTL.
     */
    private Uni<Map<String, long[]>> levelsOf(List<WalletEvent> events) {
        long now = System.nanoTime();
        Map<String, long[]> out = new HashMap<>();
        List<String> missing = new ArrayList<>();
        for (String w : events.stream().map(WalletEvent::walletId).distinct().toList()) {
            Levels cached = levels.get(w);
            if (cached == null || cached.expiresAtNanos() - now <= 0) {
                missing.add(w);
            } else {
                out.put(w, cached.levelsMicros());
            }
        }
        if (missing.isEmpty()) {
            return Uni.createFrom().item(out);
        }
        long generation = forgets.get();
        return db.preparedQuery("select wallet_id, level_micros from wallet_alert_level where wallet_id = any($1) order by level_micros desc")
                .execute(Tuple.of(missing.toArray(String[]::new)))
                .map(rows -> {
                    Map<String, List<Long>> found = new HashMap<>();
                    rows.forEach(row -> found.computeIfAbsent(row.getString(0), k -> new ArrayList<>()).add(row.getLong(1)));
                    if (levels.size() + missing.size() > LEVELS_CACHE_MAX) {
                        levels.clear(); // bounded: a full cache starts over
                    }
                    long expires = System.nanoTime() + config.levelsCacheTtl().toNanos();
                    for (String w : missing) {
                        Levels loaded = new Levels(found.getOrDefault(w, List.of()).stream().mapToLong(Long::longValue).toArray(), expires);
                        out.put(w, loaded.levelsMicros());
                        levels.put(w, loaded);
                        // Checked after the put, and forget counts before it removes: whichever runs first, a load
                        // that overlapped a change never stays cached.
                        if (forgets.get() != generation) {
                            levels.remove(w, loaded);
                        }
                    }
                    return out;
                });
    }

    /** The alerts of a batch, one per dedupe key, skipping low-balance triples this pod raised already. */
    private Map<String, Alert> alertsFor(List<WalletEvent> events, Map<String, long[]> levelsOf) {
        Map<String, Alert> out = new LinkedHashMap<>();
        for (WalletEvent e : events) {
            if ("balance.depleted".equals(e.type())) {
                String key = "depleted:" + e.eventId();
                out.put(key, new Alert(e.tenantId(), e.walletId(), AlertType.BALANCE_DEPLETED, key, details(e, null)));
            }
            for (long level : levelsOf.getOrDefault(e.walletId(), new long[0])) {
                if (e.balanceAfterMicros() > level) {
                    break; // highest first: the rest are lower still
                }
                String key = "low:" + e.walletId() + ":" + level + ":" + e.occurredAt().atOffset(ZoneOffset.UTC).toLocalDate();
                if (!raised.contains(key)) {
                    out.putIfAbsent(key, new Alert(e.tenantId(), e.walletId(), AlertType.LOW_BALANCE, key, details(e, level)));
                }
            }
        }
        return out;
    }

    private static Map<String, Object> details(WalletEvent e, Long levelMicros) {
        Map<String, Object> details = new LinkedHashMap<>();
        details.put("eventId", e.eventId());
        details.put("eventType", e.type());
        details.put("currency", e.currency());
        details.put("balanceAfterMicros", e.balanceAfterMicros());
        if (levelMicros != null) {
            details.put("levelMicros", levelMicros);
        }
        details.put("occurredAt", e.occurredAt().toString());
        return details;
    }

    /** Raises one after the other (a batch holds few), each retried until recorded, then remembered. */
    private Uni<Void> raiseAll(Map<String, Alert> pending) {
        Uni<Void> chain = Uni.createFrom().voidItem();
        for (Map.Entry<String, Alert> entry : pending.entrySet()) {
            chain = chain.chain(() -> alerts.raise(entry.getValue())
                    .onFailure(IllegalArgumentException.class::isInstance).recoverWithItem(failure -> {
                        LOG.errorf("alerts: could not raise %s: %s", entry.getKey(), failure.getMessage());
                        return null;
                    })
                    .onFailure().invoke(failure -> LOG.warnf("alerts: raising %s failed (%s); retrying", entry.getKey(), failure.toString()))
                    .onFailure().retry().withBackOff(RETRY_FIRST, RETRY_MAX).indefinitely()
                    .invoke(() -> remember(entry.getKey())));
        }
        return chain;
    }

    private void remember(String key) {
        if (!key.startsWith("low:")) {
            return;
        }
        if (raised.size() >= config.rememberedMax()) {
            raised.clear(); // bounded: the database's unique key still dedupes what is forgotten
        }
        raised.add(key);
    }
}
