package io.tollgate.ledger;

import static io.tollgate.support.TestApi.UNIT;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.redis.datasource.RedisDataSource;
import io.quarkus.test.junit.QuarkusTest;
import io.tollgate.infra.config.TollgateConfig;
import io.tollgate.infra.kafka.KafkaSetup;
import io.tollgate.infra.redis.Keys;
import io.tollgate.outbox.OutboxEvent;
import io.tollgate.outbox.OutboxRelay;
import io.tollgate.support.Ledger;
import io.tollgate.support.LogCapture;
import io.tollgate.support.Poll;
import io.tollgate.support.RedisInspector;
import io.tollgate.support.TestApi;
import io.vertx.mutiny.redis.client.Response;
import jakarta.inject.Inject;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;

/**
 * At-least-once everywhere upstream, exactly once in effect in the ledger. The errors these tests provoke (a gap, a
 * malformed message, a seq used twice) are taken from the log by {@link LogCapture} and asserted on.
 */
@QuarkusTest
class LedgerDeliveryIT {
    /**
     * Hibernate's logger of the SQL errors it passes on: two warnings per refused statement, "SQLState: 23505" and
     * PostgreSQL's own text, which starts with "ERROR:".
     */
    static final String SQL_ERRORS = "org.hibernate.orm.jdbc.error";
    static final String UNIQUE_VIOLATION = "23505";

    @Inject
    RedisDataSource redis;
    @Inject
    Keys keys;
    @Inject
    TollgateConfig config;
    @Inject
    KafkaSetup kafka;
    @Inject
    MeterRegistry metrics;

    KafkaProducer<String, String> producer() {
        return new KafkaProducer<>(Map.of("bootstrap.servers", kafka.bootstrapServers(), "acks", "all"), new StringSerializer(),
                new StringSerializer());
    }

    /** Every message on a topic whose key is the wallet, read from the start, for up to {@code seconds}. */
    List<ConsumerRecord<String, String>> messagesOf(String topic, String walletId, int atLeast, int seconds) {
        try (KafkaConsumer<String, String> consumer = new KafkaConsumer<>(Map.of("bootstrap.servers", kafka.bootstrapServers(),
                "group.id", "it-" + System.nanoTime(), "auto.offset.reset", "earliest"), new StringDeserializer(), new StringDeserializer())) {
            consumer.subscribe(List.of(topic));
            List<ConsumerRecord<String, String>> found = new java.util.ArrayList<>();
            long deadline = System.nanoTime() + seconds * 1_000_000_000L;
            while (System.nanoTime() < deadline && found.size() < atLeast) {
                for (ConsumerRecord<String, String> record : consumer.poll(Duration.ofMillis(300))) {
                    if (walletId.equals(record.key())) {
                        found.add(record);
                    }
                }
            }
            return found;
        }
    }

    String walletWithEvents(String tenant) {
        return TestApi.fundedWallet(tenant, 10 * UNIT, 0, 0); // wallet.created + wallet.credited
    }

    @Test
    void aRedeliveredEventAddsNothing() throws Exception {
        String tenant = TestApi.newTenant();
        String pipeline = TestApi.newKey(tenant, "pipeline");
        String wallet = walletWithEvents(tenant);
        Ledger ledger = new Ledger(config);
        ledger.awaitSeq(wallet, 2);
        List<ConsumerRecord<String, String>> published = messagesOf(config.kafka().topic(), wallet, 2, 30);
        try (KafkaProducer<String, String> producer = producer()) {
            for (int i = 0; i < 3; i++) { // the consumer crashed after its commit and before its offset commit, thrice
                producer.send(new ProducerRecord<>(config.kafka().topic(), wallet, published.get(1).value())).get();
            }
        }
        TestApi.debit(pipeline, wallet, "{\"amountMicros\":" + UNIT + "}").then().statusCode(200);
        List<Ledger.Row> rows = ledger.awaitSeq(wallet, 3); // same key, same partition: the copies came first
        assertEquals(3, rows.size());
        assertEquals(1, rows.stream().filter(r -> r.type().equals("wallet.credited")).count());
        assertEquals(10 * UNIT - UNIT, rows.get(2).balanceAfterMicros());
    }

    /** A stream entry as the Lua scripts append it, as the relay publishes it. */
    static String event(String wallet, long seq, String type, long amountMicros, long balanceAfterMicros, String at, String data) {
        return OutboxEvent.fromStream("0-" + seq, Map.of("id", "evt_" + wallet + "_" + seq, "type", type, "wallet", wallet,
                "tenant", "t_months", "seq", String.valueOf(seq), "cur", "USD", "amt", String.valueOf(amountMicros),
                "bal", String.valueOf(balanceAfterMicros), "ts", String.valueOf(Instant.parse(at).toEpochMilli()), "data", data))
                .toCloudEvent();
    }

    @Test
    void aSequenceGapIsCountedNotSkippedAndMonthlyTotalsSplitByMonthItemAndChannel() throws Exception {
        String wallet = "w_months_" + System.nanoTime(); // known only to the topic: the events are written onto it directly
        String sms = "{\"item\":\"sms\",\"channel\":\"+15550100\"}";
        Ledger ledger = new Ledger(config);
        double gapsBefore = metrics.counter("tollgate.ledger.sequence.gaps").count();
        try (LogCapture gap = LogCapture.errors(LedgerWriter.class, "ledger gap in wallet " + wallet)) {
            writeAcrossAGap(wallet, sms, ledger);
            assertEquals(List.of("ledger gap in wallet " + wallet + ": seq 4 follows 2"), gap.await(1, Duration.ofSeconds(30)));
            assertMonthlyTotals(wallet, ledger, gapsBefore);
        } finally {
            forget(ledger, wallet); // a wallet Redis never had would be reported MISSING_IN_REDIS by every later reconciliation
        }
    }

    private void writeAcrossAGap(String wallet, String sms, Ledger ledger) throws Exception {
        try (KafkaProducer<String, String> producer = producer()) {
            for (String e : List.of(event(wallet, 1, "wallet.credited", 100 * UNIT, 100 * UNIT, "2026-03-31T23:59:58Z", "{}"),
                    event(wallet, 2, "debit.approved", 3 * UNIT, 97 * UNIT, "2026-03-31T23:59:59.999Z", sms))) {
                producer.send(new ProducerRecord<>(config.kafka().topic(), wallet, e)).get();
            }
            ledger.awaitSeq(wallet, 2); // a later batch: the last seq comes from the ledger, not from the same poll
            for (String e : List.of(event(wallet, 4, "debit.approved", 5 * UNIT, 92 * UNIT, "2026-04-01T00:00:00Z", sms),
                    event(wallet, 5, "debit.reversed", 2 * UNIT, 94 * UNIT, "2026-04-02T10:00:00Z", sms))) {
                producer.send(new ProducerRecord<>(config.kafka().topic(), wallet, e)).get();
            }
        }
        assertTrue(Poll.until(60, () -> ledger.rows(wallet).size() == 4), "four rows written");
    }

    private void assertMonthlyTotals(String wallet, Ledger ledger, double gapsBefore) {
        List<Ledger.Row> rows = ledger.rows(wallet);
        assertEquals(List.of(1L, 2L, 4L, 5L), rows.stream().map(Ledger.Row::seq).toList(), "seq 4 is written, 3 is missing");
        assertEquals(gapsBefore + 1, metrics.counter("tollgate.ledger.sequence.gaps").count(), "one gap: 4 follows 2");

        String totals = "select %s from monthly_totals where wallet_id = ? and month = cast(? as date) and item = ? and channel = ?";
        assertEquals(100 * UNIT, ledger.count(totals.formatted("funds_added_micros"), wallet, "2026-03-01", "", ""));
        assertEquals(3 * UNIT, ledger.count(totals.formatted("usage_micros"), wallet, "2026-03-01", "sms", "+15550100"));
        assertEquals(1, ledger.count(totals.formatted("usage_count"), wallet, "2026-03-01", "sms", "+15550100"));
        assertEquals(5 * UNIT - 2 * UNIT, ledger.count(totals.formatted("usage_micros"), wallet, "2026-04-01", "sms", "+15550100"),
                "a reversal gives usage back in its own month");
        assertEquals(1, ledger.count(totals.formatted("usage_count"), wallet, "2026-04-01", "sms", "+15550100"));
        assertEquals(3, ledger.count("select count(*) from monthly_totals where wallet_id = ?", wallet));
    }

    /** Removes a wallet the test staged in the ledger only. */
    private static void forget(Ledger ledger, String wallet) {
        ledger.execute("delete from monthly_totals where wallet_id = ?", wallet);
        ledger.execute("delete from ledger_entry where wallet_id = ?", wallet);
    }

    @Test
    void aMalformedMessageGoesToTheDeadLetterTopicAndLaterOnesAreWritten() throws Exception {
        String tenant = TestApi.newTenant();
        String pipeline = TestApi.newKey(tenant, "pipeline");
        String wallet = walletWithEvents(tenant);
        try (LogCapture setAside = LogCapture.errors(LedgerWriter.class, "not a Tollgate wallet event");
                KafkaProducer<String, String> producer = producer()) {
            producer.send(new ProducerRecord<>(config.kafka().topic(), wallet, "{\"specversion\":\"1.0\",\"id\":42}")).get();
            TestApi.debit(pipeline, wallet, "{\"amountMicros\":" + UNIT + "}").then().statusCode(200);
            assertEquals(3, new Ledger(config).awaitSeq(wallet, 3).size(), "the consumer carried on");
            assertEquals(List.of("ledger: event set aside in the dead-letter topic: not a Tollgate wallet event: missing text field id"),
                    setAside.await(1, Duration.ofSeconds(10)));
        }
        List<ConsumerRecord<String, String>> dead = messagesOf(config.kafka().topic() + ".dlq", wallet, 1, 30);
        assertEquals(1, dead.size());
        assertEquals("{\"specversion\":\"1.0\",\"id\":42}", dead.get(0).value());
        var reason = dead.get(0).headers().lastHeader("dead-letter-reason");
        assertTrue(reason != null && new String(reason.value(), StandardCharsets.UTF_8).contains("not a Tollgate wallet event"));
    }

    @Test
    void aSeqUsedAgainAfterRedisLostWritesIsDeadLetteredAndReportedNeverDroppedAsADuplicate() throws Exception {
        String tenant = TestApi.newTenant();
        String pipeline = TestApi.newKey(tenant, "pipeline");
        String wallet = walletWithEvents(tenant);
        TestApi.debit(pipeline, wallet, "{\"amountMicros\":" + UNIT + "}").then().statusCode(200);
        Ledger ledger = new Ledger(config);
        ledger.awaitSeq(wallet, 3);

        // Redis loses its last write (an AOF second, a failover to a lagging replica): seq and balance go back one step.
        redis.hash(String.class).hset(keys.wallet(wallet), Map.of("seq", "2", "bal", String.valueOf(10 * UNIT)));
        Thread.sleep(5); // a later millisecond, as any real recovery would be
        try (LogCapture refused = LogCapture.warnings(SQL_ERRORS, UNIQUE_VIOLATION);
                LogCapture setAside = LogCapture.errors(LedgerWriter.class, "ledger_entry_wallet_seq")) {
            TestApi.debit(pipeline, wallet, "{\"amountMicros\":" + 2 * UNIT + "}").then().statusCode(200).body("seq", TestApi.micros(3));

            List<ConsumerRecord<String, String>> dead = messagesOf(config.kafka().topic() + ".dlq", wallet, 1, 30);
            assertEquals(1, dead.size(), "the second seq 3 is not silently taken for a duplicate");
            assertTrue(dead.get(0).value().contains("\"amountMicros\":" + 2 * UNIT));
            var reason = dead.get(0).headers().lastHeader("dead-letter-reason");
            assertTrue(reason != null && new String(reason.value(), StandardCharsets.UTF_8).contains("ledger_entry_wallet_seq"));
            assertEquals(1, setAside.await(1, Duration.ofSeconds(10)).size(), "the ledger writer reports it as an error");
            assertTrue(refused.messages().stream().anyMatch(m -> m.contains("ledger_entry_wallet_seq")),
                    "PostgreSQL refused the second seq 3: " + refused.messages());
        }
        assertEquals(10 * UNIT - UNIT, ledger.rows(wallet).get(2).balanceAfterMicros(), "the ledger kept the first seq 3");
        try (LogCapture drift = LogCapture.errors(Reconciliation.class, "wallets drift from the ledger")) {
            List<String> drifting = TestApi.as(TestApi.ADMIN_KEY).get("/v1/admin/reconciliation").then().statusCode(200)
                    .extract().jsonPath().getList("problems.walletId");
            assertTrue(drifting.contains(wallet), "reconciliation reports the wallet");
            assertTrue(drift.messages().size() == 1 && drift.messages().get(0).contains(wallet + "=DRIFT"), "logged: " + drift.messages());
        }

        // The operator's mend: Redis is rebuilt from the ledger, so later reconciliations find nothing to report.
        redis.key(String.class).del(keys.wallet(wallet));
        TestApi.as(TestApi.ADMIN_KEY).post("/v1/admin/wallets/" + wallet + "/rebuild").then().statusCode(200);
        assertEquals(10 * UNIT - UNIT, TestApi.balance(tenant, wallet));
    }

    @Test
    void aRelayThatDiedBetweenPublishingAndAcknowledgingLosesNothingAndDuplicatesNothing() throws Exception {
        String tenant = TestApi.newTenant();
        String wallet = walletWithEvents(tenant);
        Ledger ledger = new Ledger(config);
        ledger.awaitSeq(wallet, 2);
        String stream = keys.outboxOf(wallet);
        String walletKey = keys.wallet(wallet);
        String balance = redis.hash(String.class).hget(walletKey, "bal");

        // A pod takes the next event and dies after publishing it: appended and delivered to "crashed-pod" in one
        // script, so the live relay cannot take it first.
        String entryId = redis.execute("EVAL", """
                redis.call('HINCRBY', KEYS[1], 'seq', 1)
                local id = redis.call('XADD', KEYS[2], '*', 'id', ARGV[1], 'type', 'wallet.updated', 'wallet', ARGV[2],
                  'tenant', ARGV[3], 'seq', '3', 'cur', 'USD', 'amt', '0', 'bal', ARGV[4], 'ts', ARGV[5], 'data', '{"name":"crash"}')
                redis.call('XREADGROUP', 'GROUP', ARGV[6], 'crashed-pod', 'COUNT', '1000', 'STREAMS', KEYS[2], '>')
                return id""", "2", walletKey, stream, "evt_" + wallet + "_3", wallet, tenant, balance,
                String.valueOf(System.currentTimeMillis()), OutboxRelay.GROUP).toString();
        Response entry = redis.execute("XRANGE", stream, entryId, entryId).get(0);
        Map<String, String> fields = new HashMap<>();
        for (int i = 0; i < entry.get(1).size(); i += 2) {
            fields.put(entry.get(1).get(i).toString(), entry.get(1).get(i + 1).toString());
        }
        assertEquals(1, redis.execute("XPENDING", stream, OutboxRelay.GROUP, "-", "+", "10", "crashed-pod").size(),
                "the crashed pod holds the entry");
        try (KafkaProducer<String, String> producer = producer()) {
            producer.send(new ProducerRecord<>(config.kafka().topic(), wallet, OutboxEvent.fromStream(entryId, fields).toCloudEvent())).get();
        }

        // The live relay claims the entry after tollgate.relay.claim-idle (2 s in tests), publishes it again, acknowledges it.
        long deadline = System.nanoTime() + 30_000_000_000L;
        long pending = 1;
        while (System.nanoTime() < deadline && pending > 0) {
            Thread.sleep(200);
            pending = redis.execute("XPENDING", stream, OutboxRelay.GROUP).get(0).toLong();
        }
        assertEquals(0, pending, "claimed and acknowledged");
        assertEquals(2, messagesOf(config.kafka().topic(), wallet, 4, 30).stream()
                .filter(r -> r.value().contains("\"evt_" + wallet + "_3\"")).count(), "published twice");
        List<Ledger.Row> rows = ledger.awaitSeq(wallet, 3);
        assertEquals(3, rows.size(), "written once");
        assertEquals("wallet.updated", rows.get(2).type());
    }
}
