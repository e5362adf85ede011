package io.tollgate.outbox;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.smallrye.mutiny.Uni;
import io.smallrye.reactive.messaging.MutinyEmitter;
import io.smallrye.reactive.messaging.kafka.api.OutgoingKafkaRecordMetadata;
import io.tollgate.infra.Ids;
import io.tollgate.infra.Unis;
import io.tollgate.infra.config.TollgateConfig;
import io.tollgate.infra.redis.Keys;
import io.tollgate.infra.redis.LuaScript;
import io.tollgate.infra.redis.ScriptRunner;
import io.vertx.mutiny.core.Vertx;
import io.vertx.mutiny.redis.client.Command;
import io.vertx.mutiny.redis.client.Request;
import io.vertx.mutiny.redis.client.Response;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLongArray;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.eclipse.microprofile.reactive.messaging.Channel;
import org.eclipse.microprofile.reactive.messaging.Message;
import org.eclipse.microprofile.reactive.messaging.OnOverflow;
import org.jboss.logging.Logger;

/**
 * Moves every event from the bucket outbox streams to Kafka, in every pod.
 *
 * <p>Each bucket has a consumer group {@value #GROUP} and a lease: one pod at a time relays a bucket (the others
 * only try the lease now and then), so a wallet's events reach its Kafka partition in order; when the holder dies,
 * its lease expires and another pod takes over. The holder reads a bounded batch at a time, publishes every entry (key = walletId) and acknowledges the entries only after Kafka acknowledged
 * them, so a crash in between publishes them again (the ledger is idempotent on the event id). Entries a dead pod
 * held are claimed after {@code tollgate.relay.claim-idle}. A stream is trimmed only below its oldest entry that is
 * still pending or not yet delivered, so nothing unrelayed is ever trimmed. An idle bucket is polled at most once
 * per {@code tollgate.relay.idle-poll-max}.
 */
@ApplicationScoped
public class OutboxRelay {
    private static final Logger LOG = Logger.getLogger(OutboxRelay.class);
    public static final String GROUP = "relay";
    static final long FIRST_PAUSE_MILLIS = 10;
    static final long FAILURE_PAUSE_MILLIS = 1000;
    /** Entries one trimming call may free; and how many such calls one maintenance round may make. */
    static final int TRIM_LIMIT = 10_000;
    static final int TRIM_CALLS_MAX = 100;

    private final ScriptRunner redis;
    private final Keys keys;
    private final MutinyEmitter<String> emitter;
    private final Vertx vertx;
    private final TollgateConfig.Relay config;
    private final String consumer;
    private final AtomicLongArray oldestUnrelayedMillis;
    private final long[] nextMaintenanceMillis;
    /** Per bucket, System.nanoTime() until which this pod surely holds the lease (counted from before the call). */
    private final long[] leaseSureUntilNanos;
    private final Counter relayed;
    private final Counter malformed;
    private volatile boolean running;
    /** Rounds between their start and their last Redis reply; the stop lets them finish before Kafka's producer closes. */
    private final AtomicInteger roundsInFlight = new AtomicInteger();
    static final long STOP_WAIT_MILLIS = 2000;

    public OutboxRelay(ScriptRunner redis, Keys keys, @Channel("wallet-events-out") @OnOverflow(value = OnOverflow.Strategy.BUFFER,
            bufferSize = 65536) MutinyEmitter<String> emitter, Vertx vertx, TollgateConfig config, MeterRegistry metrics) {
        this.redis = redis;
        this.keys = keys;
        this.emitter = emitter;
        this.vertx = vertx;
        this.config = config.relay();
        if (this.config.batchSize() < 1 || this.config.batchSize() > 10_000) {
            throw new IllegalArgumentException("tollgate.relay.batch-size must be 1..10000");
        }
        if (this.config.idlePollMax().toMillis() < FIRST_PAUSE_MILLIS || this.config.idlePollMax().toSeconds() > 60) {
            throw new IllegalArgumentException("tollgate.relay.idle-poll-max must be 10ms..60s");
        }
        if (this.config.busyPause().isNegative() || this.config.busyPause().toMillis() > 1000) {
            throw new IllegalArgumentException("tollgate.relay.busy-pause must be 0..1s");
        }
        if (this.config.claimIdle().toMillis() < 1000 || this.config.maintenanceEvery().toMillis() < 100) {
            throw new IllegalArgumentException("tollgate.relay.claim-idle must be at least 1s and maintenance-every at least 100ms");
        }
        this.consumer = this.config.consumerName().orElseGet(OutboxRelay::defaultConsumerName);
        this.oldestUnrelayedMillis = new AtomicLongArray(keys.buckets());
        this.nextMaintenanceMillis = new long[keys.buckets()];
        this.leaseSureUntilNanos = new long[keys.buckets()];
        Arrays.fill(leaseSureUntilNanos, System.nanoTime()); // not held yet
        this.relayed = Counter.builder("tollgate.outbox.relayed").description("Events this pod published from the Redis outbox to Kafka")
                .register(metrics);
        this.malformed = Counter.builder("tollgate.outbox.malformed")
                .description("Outbox entries that are not Tollgate events, parked in the bucket's outbox-dead stream").register(metrics);
        Gauge.builder("tollgate.outbox.oldest.unrelayed.seconds", this, OutboxRelay::oldestUnrelayedSeconds)
                .description("Age in seconds of the oldest outbox entry this pod has read but not yet relayed; 0 when caught up")
                .baseUnit("seconds").register(metrics);
    }

    void start(@Observes StartupEvent start) {
        if (!config.enabled()) {
            LOG.info("Outbox relay disabled (tollgate.relay.enabled=false)");
            return;
        }
        running = true;
        for (int bucket = 0; bucket < keys.buckets(); bucket++) {
            int b = bucket;
            ensureGroup(b).subscribe().with(ok -> schedule(b, FIRST_PAUSE_MILLIS),
                    failure -> {
                        LOG.warnf("relay group for bucket %d not ready (%s); retrying", b, failure.toString());
                        schedule(b, FAILURE_PAUSE_MILLIS);
                    });
        }
        LOG.infof("Outbox relay %s started on %d buckets", consumer, keys.buckets());
    }

    void stop(@Observes ShutdownEvent stop) {
        if (!running) {
            return;
        }
        running = false;
        awaitRoundsInFlight();
        List<Uni<Boolean>> releases = new ArrayList<>();
        for (int bucket = 0; bucket < keys.buckets(); bucket++) {
            releases.add(lease(bucket, "release"));
        }
        try { // hand the buckets over at once rather than after the lease expires
            Uni.join().all(releases).andCollectFailures().await().atMost(java.time.Duration.ofSeconds(2));
        } catch (RuntimeException e) {
            LOG.warnf("relay leases not released (%s); they expire in %d ms", e.toString(), leaseMillis());
        }
    }

    /**
     * Waits (on the shutdown thread) until the rounds in flight have handed their events to Kafka and acknowledged
     * them: a round cut off by the producer's close would leave its entries pending for claim-idle after the next
     * start, and log its failure.
     */
    private void awaitRoundsInFlight() {
        long deadline = System.nanoTime() + STOP_WAIT_MILLIS * 1_000_000;
        while (roundsInFlight.get() > 0 && System.nanoTime() < deadline) {
            try {
                Thread.sleep(10);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }

    /**
     * Holds the bucket's lease: renewed only once less than half of it is left, so a busy bucket's rounds cost a read
     * and an acknowledgement, not a lease call each. The sure-until time counts from before the call was sent, so it
     * always ends before Redis lets the lease expire.
     */
    private Uni<Boolean> holdLease(int bucket) {
        long now = System.nanoTime();
        long halfLeaseNanos = leaseMillis() * 500_000L;
        if (now - leaseSureUntilNanos[bucket] < -halfLeaseNanos) {
            return Uni.createFrom().item(true);
        }
        return lease(bucket, "take").invoke(held -> leaseSureUntilNanos[bucket] = held ? now + 2 * halfLeaseNanos : now);
    }

    private Uni<Boolean> lease(int bucket, String mode) {
        return redis.run(LuaScript.RELAY_LEASE, List.of(keys.relayLease(bucket)), List.of(consumer, String.valueOf(leaseMillis()), mode))
                .map(reply -> reply.toInteger() == 1);
    }

    /** Long enough to survive several idle rounds, short enough to hand a dead pod's buckets over quickly. */
    private long leaseMillis() {
        return Math.max(5_000, 3 * config.idlePollMax().toMillis());
    }

    /** Seconds since the oldest entry this pod has seen but not yet relayed was appended; 0 when caught up. */
    public double oldestUnrelayedSeconds() {
        long oldest = Long.MAX_VALUE;
        for (int i = 0; i < oldestUnrelayedMillis.length(); i++) {
            long millis = oldestUnrelayedMillis.get(i);
            if (millis > 0) {
                oldest = Math.min(oldest, millis);
            }
        }
        return oldest == Long.MAX_VALUE ? 0 : Math.max(0, System.currentTimeMillis() - oldest) / 1000.0;
    }

    private void schedule(int bucket, long pauseMillis) {
        if (!running) {
            return;
        }
        if (pauseMillis <= 0) {
            vertx.runOnContext(() -> round(bucket, 0));
        } else {
            vertx.setTimer(pauseMillis, id -> round(bucket, pauseMillis));
        }
    }

    /**
     * One round for a bucket: hold its lease or leave it to its holder; claim from dead pods now and then, read new
     * entries, relay them, pause if idle.
     */
    private void round(int bucket, long lastPauseMillis) {
        if (!running) {
            return;
        }
        roundsInFlight.incrementAndGet();
        holdLease(bucket)
                .chain(held -> !held ? Uni.createFrom().item(-1) : maintain(bucket)
                        .chain(() -> read(bucket, ">"))
                        .chain(entries -> relay(bucket, entries)))
                .onTermination().invoke(roundsInFlight::decrementAndGet)
                .subscribe().with(count -> {
                    long idleMax = config.idlePollMax().toMillis();
                    if (count < 0) { // another pod holds the bucket: try again later
                        schedule(bucket, idleMax);
                        return;
                    }
                    if (count >= config.batchSize()) { // more may be waiting: at once
                        schedule(bucket, 0);
                    } else if (count > 0) { // busy: let the next batch gather
                        schedule(bucket, config.busyPause().toMillis());
                    } else {
                        schedule(bucket, Math.min(idleMax, Math.max(FIRST_PAUSE_MILLIS, lastPauseMillis * 2)));
                    }
                }, failure -> {
                    leaseSureUntilNanos[bucket] = System.nanoTime(); // ask Redis again before the next round
                    if (!running) { // cut off by the stop: its entries stay pending and are relayed after the next start
                        LOG.debugf("relay round for bucket %d stopped (%s)", bucket, failure.toString());
                        return;
                    }
                    LOG.warnf("relay round for bucket %d failed (%s); retrying", bucket, failure.toString());
                    schedule(bucket, FAILURE_PAUSE_MILLIS);
                });
    }

    private Uni<Void> maintain(int bucket) {
        long now = System.currentTimeMillis();
        if (now < nextMaintenanceMillis[bucket]) {
            return Uni.createFrom().voidItem();
        }
        nextMaintenanceMillis[bucket] = now + config.maintenanceEvery().toMillis();
        return claim(bucket).chain(entries -> relay(bucket, entries)).chain(() -> trim(bucket, config.retain().toMillis()))
                .replaceWithVoid();
    }

    private Uni<List<Map.Entry<String, Map<String, String>>>> read(int bucket, String from) {
        String stream = keys.outbox(bucket);
        return redis.send(Request.cmd(Command.XREADGROUP).arg("GROUP").arg(GROUP).arg(consumer).arg("COUNT").arg(config.batchSize())
                .arg("STREAMS").arg(stream).arg(from)).map(reply -> StreamReplies.entriesOf(reply, stream));
    }

    /** Entries other consumers held longer than claim-idle, now this pod's (XAUTOCLAIM, Redis 6.2+). */
    private Uni<List<Map.Entry<String, Map<String, String>>>> claim(int bucket) {
        return redis.send(Request.cmd(Command.XAUTOCLAIM).arg(keys.outbox(bucket)).arg(GROUP).arg(consumer)
                .arg(config.claimIdle().toMillis()).arg("0-0").arg("COUNT").arg(config.batchSize()))
                .map(reply -> reply == null || reply.size() < 2 ? List.of() : StreamReplies.entries(reply.get(1)));
    }

    /**
     * Publishes the events of the entries in stream order, at most {@code batch-size} awaiting Kafka at a time (a packed
     * entry holds up to {@value OutboxEvent#PACKED_EVENTS_MAX}, so entries alone would not bound them), then acknowledges
     * the entries. Returns the number of entries.
     */
    private Uni<Integer> relay(int bucket, List<Map.Entry<String, Map<String, String>>> entries) {
        if (entries.isEmpty()) {
            oldestUnrelayedMillis.set(bucket, 0);
            return Uni.createFrom().item(0);
        }
        oldestUnrelayedMillis.compareAndSet(bucket, 0, StreamReplies.millisOf(entries.get(0).getKey()));
        List<Message<String>> messages = new ArrayList<>(entries.size());
        List<Uni<Void>> parked = new ArrayList<>();
        List<String> relayedIds = new ArrayList<>(entries.size());
        for (Map.Entry<String, Map<String, String>> entry : entries) {
            relayedIds.add(entry.getKey());
            try {
                for (OutboxEvent event : OutboxEvent.fromEntry(entry.getKey(), entry.getValue())) {
                    messages.add(message(event));
                }
            } catch (IllegalArgumentException e) {
                malformed.increment();
                LOG.errorf("outbox entry %s in bucket %d is not a Tollgate event (%s); parked in %s", entry.getKey(), bucket,
                        e.getMessage(), keys.outboxDead(bucket));
                parked.add(park(bucket, entry, e.getMessage()));
            }
        }
        return send(messages, 0)
                .chain(() -> Unis.all(parked))
                .chain(() -> acknowledge(bucket, relayedIds))
                .invoke(() -> {
                    relayed.increment(messages.size());
                    if (entries.size() < config.batchSize()) { // caught up: nothing older is waiting in this bucket
                        oldestUnrelayedMillis.set(bucket, 0);
                    }
                })
                .replaceWith(relayedIds.size());
    }

    /** Sends messages[from..] a window at a time; the emitter keeps their order, so a wallet's events stay in seq order. */
    private Uni<Void> send(List<Message<String>> messages, int from) {
        if (from >= messages.size()) {
            return Uni.createFrom().voidItem();
        }
        int to = Math.min(messages.size(), from + config.batchSize());
        List<Uni<Void>> sends = new ArrayList<>(to - from);
        for (int i = from; i < to; i++) {
            sends.add(emitter.sendMessage(messages.get(i)));
        }
        return Unis.all(sends).chain(() -> send(messages, to));
    }

    /** Copies an entry that is not a Tollgate event, with the reason, to the bucket's dead stream (same slot). */
    private Uni<Void> park(int bucket, Map.Entry<String, Map<String, String>> entry, String reason) {
        Request add = Request.cmd(Command.XADD).arg(keys.outboxDead(bucket)).arg("MAXLEN").arg("~").arg(10_000).arg("*")
                .arg("original-id").arg(entry.getKey()).arg("reason").arg(reason);
        entry.getValue().forEach((field, value) -> add.arg("f-" + field).arg(value));
        return redis.send(add).replaceWithVoid();
    }

    private Uni<Response> acknowledge(int bucket, List<String> ids) {
        Request ack = Request.cmd(Command.XACK).arg(keys.outbox(bucket)).arg(GROUP);
        ids.forEach(ack::arg);
        return redis.send(ack);
    }

    /**
     * Trims a bucket's stream below the oldest entry that is still pending, or below the last one delivered when none
     * is, and never an entry younger than {@code retainMillis}: nothing unrelayed is ever trimmed.
     */
    Uni<Void> trim(int bucket, long retainMillis) {
        return trim(bucket, retainMillis, TRIM_CALLS_MAX);
    }

    /** {@link #trim(int, long)} with at most {@code callsMax} calls that free whole stream nodes. */
    Uni<Void> trim(int bucket, long retainMillis, int callsMax) {
        String retainBoundary = (System.currentTimeMillis() - retainMillis) + "-0";
        String stream = keys.outbox(bucket);
        return redis.send(Request.cmd(Command.XPENDING).arg(stream).arg(GROUP)).chain(pending -> {
            long count = pending == null ? 0 : pending.get(0).toLong();
            if (count > 0) {
                return Uni.createFrom().item(pending.get(1).toString());
            }
            return redis.send(Request.cmd(Command.XINFO).arg("GROUPS").arg(stream))
                    .map(groups -> StreamReplies.lastDelivered(groups, GROUP));
        }).chain(boundary -> boundary == null || boundary.equals("0-0") ? Uni.createFrom().voidItem()
                : trimBelow(stream, StreamReplies.lower(boundary, retainBoundary), callsMax));
    }

    /**
     * Deletes the entries below {@code minId} in calls that each free at most {@value #TRIM_LIMIT} entries: one exact
     * XTRIM of a burst's backlog (a campaign puts hundreds of thousands of events in one bucket) held Redis, and so
     * every debit, for hundreds of milliseconds. Whole stream nodes go first ({@code MINID ~ … LIMIT}: approximate,
     * never past minId), then one exact XTRIM removes the rest, less than one node.
     */
    private Uni<Void> trimBelow(String stream, String minId, int callsLeft) {
        if (callsLeft == 0) { // a backlog larger than a round may free: the rest goes in the next maintenance round
            return Uni.createFrom().voidItem();
        }
        return redis.send(Request.cmd(Command.XTRIM).arg(stream).arg("MINID").arg("~").arg(minId).arg("LIMIT").arg(TRIM_LIMIT))
                .chain(deleted -> deleted != null && deleted.toLong() > 0 ? trimBelow(stream, minId, callsLeft - 1)
                        : redis.send(Request.cmd(Command.XTRIM).arg(stream).arg("MINID").arg(minId)).replaceWithVoid());
    }

    private Uni<Void> ensureGroup(int bucket) {
        return redis.send(Request.cmd(Command.XGROUP).arg("CREATE").arg(keys.outbox(bucket)).arg(GROUP).arg("0").arg("MKSTREAM"))
                .replaceWithVoid()
                .onFailure(f -> String.valueOf(f.getMessage()).startsWith("BUSYGROUP")).recoverWithItem((Void) null);
    }

    private static Message<String> message(OutboxEvent event) {
        RecordHeaders headers = new RecordHeaders();
        headers.add("content-type", "application/cloudevents+json; charset=UTF-8".getBytes(StandardCharsets.UTF_8));
        return Message.of(event.toCloudEvent()).addMetadata(OutgoingKafkaRecordMetadata.<String>builder()
                .withKey(event.walletId()).withHeaders(headers).build());
    }

    private static String defaultConsumerName() {
        String host = System.getenv().getOrDefault("HOSTNAME", "pod");
        return host + "-" + Ids.newId("").substring(0, 6);
    }
}
