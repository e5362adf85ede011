package io.tollgate.outbox;

import static io.tollgate.support.TestApi.UNIT;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.quarkus.redis.datasource.RedisDataSource;
import io.quarkus.test.junit.QuarkusTest;
import io.tollgate.infra.redis.Keys;
import io.tollgate.support.LogCapture;
import io.tollgate.support.TestApi;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The relay trims only what it has relayed and acknowledged: nothing unrelayed is ever trimmed. */
@QuarkusTest
class OutboxTrimIT {
    @Inject
    OutboxRelay relay;
    @Inject
    RedisDataSource redis;
    @Inject
    Keys keys;

    @Test
    void trimmingStopsAtTheOldestEntryStillPending() throws Exception {
        String tenant = TestApi.newTenant();
        String wallet = TestApi.fundedWallet(tenant, 10 * UNIT, 0, 0);
        String stream = keys.outboxOf(wallet);
        awaitNothingPending(stream);

        // An entry taken by a consumer that died: pending, not acknowledged. It is not a whole event: should the live
        // relay claim it (after claim-idle, 2 s) before it is deleted below, it parks it with an error, taken here.
        try (LogCapture claimedAndParked = LogCapture.errors(OutboxRelay.class, "is not a Tollgate event")) {
            String held = redis.execute("EVAL", """
                    local id = redis.call('XADD', KEYS[1], '*', 'id', 'evt_test_held', 'type', 'wallet.updated')
                    redis.call('XREADGROUP', 'GROUP', ARGV[1], 'dead-pod', 'COUNT', '1000', 'STREAMS', KEYS[1], '>')
                    return id""", "1", stream, OutboxRelay.GROUP).toString();

            relay.trim(keys.bucket(wallet), 0).await().atMost(Duration.ofSeconds(5));

            String first = redis.execute("XRANGE", stream, "-", "+", "COUNT", "1").get(0).get(0).toString();
            assertEquals(held, first, "everything below the pending entry went, the pending entry stayed");
            redis.execute("XACK", stream, OutboxRelay.GROUP, held);
            redis.execute("XDEL", stream, held);
        }
    }

    @Test
    void relayedEntriesYoungerThanTheRetentionStay() throws Exception {
        String tenant = TestApi.newTenant();
        String wallet = TestApi.fundedWallet(tenant, 10 * UNIT, 0, 0);
        String stream = keys.outboxOf(wallet);
        awaitNothingPending(stream);
        long before = redis.execute("XLEN", stream).toLong();
        relay.trim(keys.bucket(wallet), Duration.ofHours(1).toMillis()).await().atMost(Duration.ofSeconds(5));
        assertEquals(before, redis.execute("XLEN", stream).toLong());
        assertTrue(before >= 2);
    }

    @Test
    void aLargeRelayedBacklogIsTrimmedInBoundedCallsDownToTheLastDeliveredEntry() throws Exception {
        int bucket = keys.buckets() + 7; // a stream no live relay reads: this test alone delivers and acknowledges it
        String stream = keys.outbox(bucket);
        redis.execute("DEL", stream);
        int entries = 3 * OutboxRelay.TRIM_LIMIT + 123; // a campaign's burst in one bucket
        String last = redis.execute("EVAL", """
                redis.call('XGROUP', 'CREATE', KEYS[1], ARGV[1], '0', 'MKSTREAM')
                local id
                for i = 1, tonumber(ARGV[2]) do id = redis.call('XADD', KEYS[1], '*', 'n', i) end
                for _, e in ipairs(redis.call('XREADGROUP', 'GROUP', ARGV[1], 'pod', 'COUNT', ARGV[2], 'STREAMS', KEYS[1], '>')[1][2]) do
                  redis.call('XACK', KEYS[1], ARGV[1], e[1])
                end
                return id""", "1", stream, OutboxRelay.GROUP, String.valueOf(entries)).toString();

        relay.trim(bucket, 0, 1).await().atMost(Duration.ofSeconds(30));
        long afterOneCall = redis.execute("XLEN", stream).toLong();
        assertTrue(afterOneCall >= entries - OutboxRelay.TRIM_LIMIT && afterOneCall < entries,
                "one call freed some whole nodes, at most " + OutboxRelay.TRIM_LIMIT + " entries: " + afterOneCall + " left");

        relay.trim(bucket, 0).await().atMost(Duration.ofSeconds(30));
        assertEquals(1, redis.execute("XLEN", stream).toLong(), "everything below the last delivered entry went");
        assertEquals(last, redis.execute("XRANGE", stream, "-", "+").get(0).get(0).toString(), "the last delivered entry stayed");
        redis.execute("DEL", stream);
    }

    @Test
    void anEntryThatIsNotATollgateEventIsParkedWithItsReasonAndAcknowledged() throws Exception {
        String tenant = TestApi.newTenant();
        String wallet = TestApi.fundedWallet(tenant, UNIT, 0, 0);
        int bucket = keys.bucket(wallet);
        String stream = keys.outbox(bucket);
        try (LogCapture errors = LogCapture.errors(OutboxRelay.class, "is not a Tollgate event")) {
            String bad = redis.execute("XADD", stream, "*", "type", "wallet.updated", "wallet", wallet).toString();
            // a packed entry whose count disagrees with its lines: none of its events is published, the entry is parked
            String badPacked = redis.execute("XADD", stream, "*", "wallet", wallet, "tenant", tenant, "cur", "USD", "ts", "1", "n", "2",
                    "ev", "90|debit.approved|1|1|{}").toString();
            long deadline = System.nanoTime() + 30_000_000_000L;
            boolean parked = false;
            while (System.nanoTime() < deadline && !parked) {
                Thread.sleep(100);
                String dead = redis.execute("XRANGE", keys.outboxDead(bucket), "-", "+").toString();
                parked = dead.contains(bad) && dead.contains(badPacked);
            }
            assertTrue(parked, "both parked in " + keys.outboxDead(bucket));
            awaitNothingPending(stream);
            List<String> logged = errors.await(2, Duration.ofSeconds(5));
            assertTrue(logged.stream().anyMatch(m -> m.startsWith("outbox entry " + bad + " ")), "logged: " + logged);
            assertTrue(logged.stream().anyMatch(m -> m.startsWith("outbox entry " + badPacked + " ")), "logged: " + logged);
        }
    }

    private void awaitNothingPending(String stream) throws InterruptedException {
        long deadline = System.nanoTime() + 30_000_000_000L;
        while (System.nanoTime() < deadline) {
            long pending = redis.execute("XPENDING", stream, OutboxRelay.GROUP).get(0).toLong();
            String last = redis.execute("XREVRANGE", stream, "+", "-", "COUNT", "1").get(0).get(0).toString();
            String delivered = StreamReplies.lastDelivered(redis.execute("XINFO", "GROUPS", stream), OutboxRelay.GROUP);
            if (pending == 0 && last.equals(delivered)) {
                return; // every entry delivered to the relay and acknowledged
            }
            Thread.sleep(100);
        }
        throw new AssertionError("the relay did not catch up within 30 s");
    }
}
