package io.tollgate.ledger;

import static io.tollgate.support.TestApi.UNIT;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.quarkus.redis.datasource.RedisDataSource;
import io.quarkus.test.junit.QuarkusTest;
import io.tollgate.infra.config.TollgateConfig;
import io.tollgate.infra.redis.Keys;
import io.tollgate.support.Concurrent;
import io.tollgate.support.Ledger;
import io.tollgate.support.RedisInspector;
import io.tollgate.support.TestApi;
import io.vertx.core.Vertx;
import jakarta.inject.Inject;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.StringJoiner;
import org.junit.jupiter.api.Test;

/** Redis → outbox → relay → Kafka → ledger: once the pipeline drains, the ledger and Redis agree to the micro. */
@QuarkusTest
class LedgerPipelineIT {
    @Inject
    Vertx vertx;
    @Inject
    RedisDataSource redis;
    @Inject
    Keys keys;
    @Inject
    TollgateConfig config;

    @Test
    void fiveThousandConcurrentDebitsAndCreditsOnFiftyWalletsLandOnceEach() throws Exception {
        String tenant = TestApi.newTenant();
        String pipeline = TestApi.newKey(tenant, "pipeline");
        List<String> wallets = TestApi.fundedWallets(tenant, 50, 30 * UNIT);
        long before = wallets.stream().mapToLong(w -> TestApi.balance(tenant, w)).sum();
        List<Concurrent.Request> requests = new ArrayList<>();
        for (int i = 0; i < 5000; i++) {
            String wallet = wallets.get(i % 50);
            if (i % 5 == 0) {
                requests.add(new Concurrent.Request("/v1/wallets/" + wallet + "/credits", Map.of("Authorization", "Bearer " + TestApi.ADMIN_KEY,
                        "Tollgate-Tenant", tenant, "Idempotency-Key", "credit-" + i),
                        "{\"amountMicros\":" + UNIT / 2 + ",\"reason\":\"load\",\"category\":\"adjustment\"}"));
            } else {
                requests.add(new Concurrent.Request("/v1/wallets/" + wallet + "/debits", Map.of("Authorization", "Bearer " + pipeline,
                        "Idempotency-Key", "debit-" + i), "{\"amountMicros\":" + UNIT + ",\"origin\":\"manual\"}"));
            }
        }

        List<Concurrent.Reply> replies = Concurrent.post(vertx, requests, 100);

        assertTrue(replies.stream().allMatch(r -> r.status() == 200), "every request answered 200");
        long approvedDebits = replies.stream().filter(r -> r.body().contains("\"approved\"")).count();
        long credits = replies.stream().filter(r -> r.body().contains("creditId")).count();
        assertEquals(1000, credits);
        assertTrue(approvedDebits > 1000 && approvedDebits <= 4000, "some debits declined as wallets ran dry: " + approvedDebits);

        Ledger ledger = new Ledger(config);
        RedisInspector inspect = new RedisInspector(redis, keys);
        long movements = 0;
        long after = 0;
        long ledgerRows = 0;
        for (String wallet : wallets) {
            Map<String, String> state = inspect.walletHash(wallet);
            List<Ledger.Row> rows = awaitLedgerAgreesWithRedis(ledger, inspect, wallet);
            for (Ledger.Row row : rows) {
                if (row.type().equals("debit.approved")) {
                    movements -= row.amountMicros();
                } else if (row.type().equals("wallet.credited")) {
                    movements += row.amountMicros();
                }
            }
            after += Long.parseLong(state.get("bal"));
            ledgerRows += rows.stream().filter(r -> r.type().equals("debit.approved") || r.type().equals("wallet.credited")).count();
        }
        assertEquals(approvedDebits + credits + 50, ledgerRows, "exactly one row per approved operation (and per initial credit)");
        assertEquals(after - 0, movements, "the sum of all movements equals the change in all balances");
        assertEquals(before, 50 * 30 * UNIT);
    }

    @Test
    void concurrentCampaignBatchesLandInTheLedgerEventByEvent() throws Exception {
        String tenant = TestApi.newTenant();
        String pipeline = TestApi.newKey(tenant, "pipeline");
        List<String> wallets = TestApi.fundedWallets(tenant, 4, 600 * UNIT);
        List<Concurrent.Request> batches = new ArrayList<>();
        for (int b = 0; b < 3; b++) { // 3 x 1,000 debits of 1 unit, 750 per wallet holding 600 units
            StringJoiner items = new StringJoiner(",", "{\"items\":[", "]}");
            for (int i = 0; i < 1000; i++) {
                items.add("{\"walletId\":\"" + wallets.get(i % 4) + "\",\"idempotencyKey\":\"campaign-" + b + "-" + i
                        + "\",\"amountMicros\":" + UNIT + ",\"origin\":\"manual\"}");
            }
            batches.add(new Concurrent.Request("/v1/debit-batches", Map.of("Authorization", "Bearer " + pipeline), items.toString()));
        }

        List<Concurrent.Reply> replies = Concurrent.post(vertx, batches, 3);

        assertTrue(replies.stream().allMatch(r -> r.status() == 200), "every batch answered 200");
        Ledger ledger = new Ledger(config);
        RedisInspector inspect = new RedisInspector(redis, keys);
        for (String wallet : wallets) {
            List<Ledger.Row> rows = awaitLedgerAgreesWithRedis(ledger, inspect, wallet);
            assertEquals(600, rows.stream().filter(r -> r.type().equals("debit.approved")).count(), "600 units, 600 debits on " + wallet);
            assertEquals(1, rows.stream().filter(r -> r.type().equals("balance.depleted")).count());
            assertEquals(0, rows.get(rows.size() - 1).balanceAfterMicros(), "the ledger ends at 0, as Redis does");
            assertEquals(0, TestApi.balance(tenant, wallet));
            assertTrue(inspect.entryCount(wallet) <= 2 + 3, "packed: at most one outbox entry per batch call for " + wallet);
        }
    }

    /**
     * Waits for the wallet's ledger to reach its Redis seq, then checks one row per event, seq 1..n without gaps, and the
     * last balance equal to Redis' balance. Returns the rows.
     */
    private static List<Ledger.Row> awaitLedgerAgreesWithRedis(Ledger ledger, RedisInspector inspect, String wallet) throws Exception {
        Map<String, String> state = inspect.walletHash(wallet);
        long seq = Long.parseLong(state.get("seq"));
        List<Ledger.Row> rows = ledger.awaitSeq(wallet, seq);
        assertEquals(seq, rows.size(), "one ledger row per event of " + wallet);
        for (int i = 0; i < rows.size(); i++) {
            assertEquals(i + 1, rows.get(i).seq(), "no gap in " + wallet);
        }
        assertEquals(Long.parseLong(state.get("bal")), rows.get(rows.size() - 1).balanceAfterMicros(), "ledger = Redis for " + wallet);
        return rows;
    }
}
