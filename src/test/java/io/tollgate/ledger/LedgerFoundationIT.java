package io.tollgate.ledger;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.quarkus.hibernate.reactive.panache.Panache;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.vertx.RunOnVertxContext;
import io.quarkus.test.vertx.UniAsserter;
import io.tollgate.infra.config.TollgateConfig;
import io.tollgate.infra.db.DatabaseTarget;
import io.tollgate.infra.kafka.KafkaSetup;
import io.tollgate.support.LogCapture;
import jakarta.inject.Inject;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The durable side's real parts: PostgreSQL with the migrated schema, Hibernate Reactive, and a Kafka broker. */
@QuarkusTest
class LedgerFoundationIT {
    @Inject
    TollgateConfig config;
    @Inject
    KafkaSetup kafka;

    static LedgerEntry entry(String eventId, String walletId, long seq) {
        LedgerEntry e = new LedgerEntry();
        e.eventId = eventId;
        e.walletId = walletId;
        e.tenantId = "t_ledger";
        e.seq = seq;
        e.type = "debit.approved";
        e.currency = "USD";
        e.amountMicros = 1_000_000;
        e.balanceAfterMicros = 9_000_000;
        e.occurredAt = OffsetDateTime.now(ZoneOffset.UTC);
        e.data = "{\"debitId\":\"db_x\"}";
        return e;
    }

    /** The log records a test provokes on purpose; closed after the test, however it ends. */
    private LogCapture expected;

    @AfterEach
    void closeCapture() {
        if (expected != null) {
            expected.close();
        }
    }

    @Test
    @RunOnVertxContext
    void entriesArePersistedOncePerWalletSequence(UniAsserter asserter) {
        String wallet = "w_" + UUID.randomUUID().toString().replace("-", "").substring(0, 20);
        expected = LogCapture.warnings(LedgerDeliveryIT.SQL_ERRORS, LedgerDeliveryIT.UNIQUE_VIOLATION); // seq 1 a second time
        asserter.execute(() -> Panache.withTransaction(() -> entry("evt_" + wallet + "_1", wallet, 1).persist()));
        asserter.assertEquals(() -> Panache.withSession(() -> LedgerEntry.count("walletId", wallet)), 1L);
        asserter.assertThat(() -> Panache.withSession(() -> LedgerEntry.<LedgerEntry>findById("evt_" + wallet + "_1")),
                found -> {
                    assertEquals(9_000_000, found.balanceAfterMicros);
                    assertTrue(found.data.contains("db_x"));
                });
        asserter.assertFailedWith(() -> Panache.withTransaction(() -> entry("evt_other", wallet, 1).persist()),
                failure -> assertTrue(String.valueOf(failure.getMessage()).contains("ledger_entry_wallet_seq")
                        || String.valueOf(failure.getCause()).contains("ledger_entry_wallet_seq"), failure.toString()));
        asserter.assertEquals(() -> Panache.withSession(() -> LedgerEntry.count("walletId", wallet)), 1L);
        asserter.execute(() -> assertTrue(expected.messages().stream().anyMatch(m -> m.contains("ledger_entry_wallet_seq")),
                "logged: " + expected.messages()));
        // Staged in the ledger only: left there, every later reconciliation would report it MISSING_IN_REDIS.
        asserter.execute(() -> Panache.withTransaction(() -> LedgerEntry.delete("walletId", wallet)));
    }

    @Test
    void theSchemaIsMigratedByFlyway() throws Exception {
        DatabaseTarget db = DatabaseTarget.resolve(config);
        try (Connection c = DriverManager.getConnection(db.jdbcUrl(), db.user(), db.password());
                ResultSet rs = c.createStatement().executeQuery(
                        "select version, success from flyway_schema_history where version is not null order by installed_rank")) {
            assertTrue(rs.next());
            assertEquals("1", rs.getString(1));
            assertTrue(rs.getBoolean(2));
        }
    }

    @Test
    void theEventsTopicCarriesMessagesKeyedByWallet() {
        String topic = config.kafka().topic();
        String wallet = "w_kafka" + System.nanoTime();
        Map<String, Object> common = Map.of("bootstrap.servers", kafka.bootstrapServers());
        // Not a wallet event: the ledger writer sets it aside in the dead-letter topic with an error, taken here.
        LogCapture setAside = LogCapture.errors(LedgerWriter.class, "not a Tollgate wallet event");
        expected = setAside;
        try (KafkaProducer<String, String> producer = new KafkaProducer<>(Map.of("bootstrap.servers", kafka.bootstrapServers(),
                "acks", "all", "enable.idempotence", "true"), new StringSerializer(), new StringSerializer())) {
            producer.send(new ProducerRecord<>(topic, wallet, "{\"hello\":1}")).get();
        } catch (Exception e) {
            throw new AssertionError(e);
        }
        try (KafkaConsumer<String, String> consumer = new KafkaConsumer<>(Map.of("bootstrap.servers", kafka.bootstrapServers(),
                "group.id", "it-" + wallet, "auto.offset.reset", "earliest"), new StringDeserializer(), new StringDeserializer())) {
            consumer.subscribe(List.of(topic));
            long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
            while (System.nanoTime() < deadline) {
                for (ConsumerRecord<String, String> record : consumer.poll(Duration.ofMillis(500))) {
                    if (wallet.equals(record.key())) {
                        assertEquals("{\"hello\":1}", record.value());
                        awaitSetAside(setAside);
                        return;
                    }
                }
            }
        }
        throw new AssertionError("the message did not come back within 30 s");
    }

    private static void awaitSetAside(LogCapture setAside) {
        try {
            assertEquals(1, setAside.await(1, Duration.ofSeconds(30)).size(), "the ledger writer set the message aside");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }
}
