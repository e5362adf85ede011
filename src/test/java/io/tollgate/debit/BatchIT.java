package io.tollgate.debit;

import static io.tollgate.support.TestApi.UNIT;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import io.quarkus.redis.datasource.RedisDataSource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import io.tollgate.infra.redis.Keys;
import io.tollgate.support.RedisInspector;
import io.tollgate.support.TestApi;
import jakarta.inject.Inject;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.StringJoiner;
import org.junit.jupiter.api.Test;

/** SMS campaigns: many debits in one request, each with its own outcome, one script call per bucket. */
@QuarkusTest
class BatchIT {
    @Inject
    RedisDataSource redis;
    @Inject
    Keys keys;
    @Inject
    io.micrometer.core.instrument.MeterRegistry metrics;

    double debitScriptCalls() {
        return metrics.counter("tollgate.redis.script.calls", "script", "debit").count();
    }

    static String item(String wallet, String key, String fields) {
        return "{\"walletId\":\"" + wallet + "\",\"idempotencyKey\":\"" + key + "\"," + fields + "}";
    }

    static String batch(List<String> items) {
        StringJoiner joined = new StringJoiner(",", "{\"items\":[", "]}");
        items.forEach(joined::add);
        return joined.toString();
    }

    @Test
    void mixedOutcomesEachWithItsOwnAnswer() {
        String tenant = TestApi.newTenant();
        String pipeline = TestApi.newKey(tenant, "pipeline");
        String rich = TestApi.fundedWallet(tenant, 10 * UNIT, 0, 0);
        String poor = TestApi.fundedWallet(tenant, UNIT, 0, 0);
        String otherTenantWallet = TestApi.fundedWallet(TestApi.newTenant(), 10 * UNIT, 0, 0);
        TestApi.admin(tenant).body("{\"items\":{\"sms\":{\"unitPriceMicros\":7500}}}").put("/v1/rate-cards/USD").then().statusCode(200);

        String body = batch(List.of(
                item(rich, "b1", "\"amountMicros\":" + 2 * UNIT),
                item(poor, "b2", "\"amountMicros\":" + 2 * UNIT),
                item(rich, "b3", "\"item\":\"sms\",\"quantity\":4"),
                item(otherTenantWallet, "b4", "\"amountMicros\":1"),
                item("w_doesnotexist", "b5", "\"amountMicros\":1"),
                item(rich, "b6", "\"item\":\"fax\""),
                item(rich, "b1", "\"amountMicros\":" + 2 * UNIT),
                item(rich, "b1", "\"amountMicros\":" + 3 * UNIT)));
        JsonPath reply = TestApi.as(pipeline).body(body).post("/v1/debit-batches").then().statusCode(200).extract().jsonPath();

        assertEquals(3, reply.getInt("approved"));
        assertEquals(1, reply.getInt("declined"));
        assertEquals(4, reply.getInt("failed"));
        assertEquals("approved", reply.getString("results[0].result.decision"));
        assertEquals("insufficient_funds", reply.getString("results[1].result.reason"));
        assertEquals(30000, reply.getLong("results[2].result.amountMicros"));
        assertEquals("https://tollgate.dev/problems/wallet-not-found", reply.getString("results[3].error.type"));
        assertEquals("https://tollgate.dev/problems/wallet-not-found", reply.getString("results[4].error.type"));
        assertEquals("https://tollgate.dev/problems/unknown-item", reply.getString("results[5].error.type"));
        assertEquals(true, reply.getBoolean("results[6].replayed"), "same key, same debit: replay");
        assertEquals(reply.getString("results[0].result.debitId"), reply.getString("results[6].result.debitId"));
        assertEquals("https://tollgate.dev/problems/idempotency-conflict", reply.getString("results[7].error.type"));
        assertNull(reply.get("results[7].result"));

        assertEquals(10 * UNIT - 2 * UNIT - 30000, TestApi.balance(tenant, rich));
        assertEquals(UNIT, TestApi.balance(tenant, poor));
        assertEquals(10 * UNIT, TestApi.balance(tenant, rich) + 2 * UNIT + 30000);
    }

    @Test
    void oneWalletManyTimesInOneBatchIsDecidedInOrder() {
        String tenant = TestApi.newTenant();
        String pipeline = TestApi.newKey(tenant, "pipeline");
        String wallet = TestApi.newWallet(tenant, "{\"currency\":\"USD\",\"automationFloorMicros\":0,"
                + "\"autoRecharge\":{\"enabled\":false,\"thresholdMicros\":" + 2 * UNIT + ",\"amountMicros\":" + 10 * UNIT + "}}");
        TestApi.credit(tenant, wallet, 5 * UNIT).then().statusCode(200);
        List<String> items = new ArrayList<>();
        for (int i = 0; i < 8; i++) {
            items.add(item(wallet, "same-wallet-" + i, "\"amountMicros\":" + UNIT + ",\"origin\":\"manual\""));
        }
        JsonPath reply = TestApi.as(pipeline).body(batch(items)).post("/v1/debit-batches").then().statusCode(200).extract().jsonPath();

        assertEquals(5, reply.getInt("approved"));
        assertEquals(3, reply.getInt("declined"));
        for (int i = 0; i < 5; i++) {
            assertEquals((4 - i) * UNIT, reply.getLong("results[" + i + "].result.balanceAfterMicros"));
        }
        assertEquals("insufficient_funds", reply.getString("results[5].result.reason"));
        assertEquals(0, TestApi.balance(tenant, wallet));
        List<java.util.Map<String, String>> events = new RedisInspector(redis, keys).events(wallet);
        for (int i = 0; i < events.size(); i++) {
            assertEquals(String.valueOf(i + 1), events.get(i).get("seq"));
        }
        assertEquals(1, events.stream().filter(e -> "balance.low".equals(e.get("type"))).count());
        assertEquals(1, events.stream().filter(e -> "balance.depleted".equals(e.get("type"))).count());
        assertEquals(String.valueOf(events.size()), new RedisInspector(redis, keys).walletHash(wallet).get("seq"));
        assertEquals(9, events.size(), "created, credited, 5 debits, balance.low, balance.depleted");
        assertEquals(3, new RedisInspector(redis, keys).entryCount(wallet), "the batch's 7 events are one packed outbox entry");
    }

    @Test
    void totalsNear2To53StayExact() {
        long max = 9_007_199_254_740_991L;
        String tenant = TestApi.newTenant();
        String pipeline = TestApi.newKey(tenant, "pipeline");
        String wallet = TestApi.fundedWallet(tenant, max, -max, -max);
        JsonPath reply = TestApi.as(pipeline).body(batch(List.of(item(wallet, "big-1", "\"amountMicros\":" + max),
                item(wallet, "big-2", "\"amountMicros\":" + max), item(wallet, "big-3", "\"amountMicros\":1"))))
                .post("/v1/debit-batches").then().statusCode(200).extract().jsonPath();
        assertEquals(2, reply.getInt("approved"));
        assertEquals(-max, reply.getLong("results[1].result.balanceAfterMicros"));
        assertEquals("insufficient_funds", reply.getString("results[2].result.reason"));
        assertEquals(-max, TestApi.balance(tenant, wallet), "2 x (2^53-1) taken exactly");
    }

    @Test
    void oneScriptCallPerBucketNotPerDebit() {
        String tenant = TestApi.newTenant();
        String pipeline = TestApi.newKey(tenant, "pipeline");
        List<String> wallets = TestApi.fundedWallets(tenant, 12, 1000 * UNIT);
        List<String> items = new ArrayList<>();
        Set<Integer> buckets = new HashSet<>();
        for (int i = 0; i < 1000; i++) {
            String wallet = wallets.get(i % wallets.size());
            buckets.add(keys.bucket(wallet));
            items.add(item(wallet, "campaign-" + i, "\"amountMicros\":" + UNIT + ",\"origin\":\"manual\""));
        }
        RedisInspector inspect = new RedisInspector(redis, keys);
        double callsBefore = debitScriptCalls();

        JsonPath reply = TestApi.as(pipeline).body(batch(items)).post("/v1/debit-batches").then().statusCode(200).extract().jsonPath();

        assertEquals(1000, reply.getInt("approved"));
        assertEquals(buckets.size(), (long) (debitScriptCalls() - callsBefore), "debit script calls = distinct buckets");
        long total = wallets.stream().mapToLong(w -> TestApi.balance(tenant, w)).sum();
        assertEquals(12 * 1000 * UNIT - 1000 * UNIT, total);
        long debitEvents = wallets.stream().mapToLong(w -> inspect.events(w).stream()
                .filter(e -> "debit.approved".equals(e.get("type"))).count()).sum();
        assertEquals(1000, debitEvents);
    }

    @Test
    void anInvalidItemRejectsTheWholeBatchAndChangesNothing() {
        String tenant = TestApi.newTenant();
        String pipeline = TestApi.newKey(tenant, "pipeline");
        String wallet = TestApi.fundedWallet(tenant, 10 * UNIT, 0, 0);
        RedisInspector inspect = new RedisInspector(redis, keys);
        String before = inspect.snapshot(wallet);
        TestApi.as(pipeline).body(batch(List.of(item(wallet, "ok", "\"amountMicros\":1"), item(wallet, "neg", "\"amountMicros\":-1"))))
                .post("/v1/debit-batches").then().statusCode(400)
                .body("detail", org.hamcrest.Matchers.startsWith("items[1].amountMicros must be"));
        for (String bad : List.of(
                batch(List.of(item(wallet, "ok", "\"amountMicros\":1"), item(wallet, "neg", "\"amountMicros\":-1"))),
                batch(List.of(item(wallet, "ok", "\"amountMicros\":1"), item(wallet, "", "\"amountMicros\":1"))),
                batch(List.of()),
                "{\"items\":[" + String.join(",", java.util.Collections.nCopies(1001, item(wallet, "k", "\"amountMicros\":1"))) + "]}")) {
            TestApi.as(pipeline).body(bad).post("/v1/debit-batches").then().statusCode(org.hamcrest.Matchers.anyOf(
                    org.hamcrest.Matchers.is(400), org.hamcrest.Matchers.is(413))).contentType("application/problem+json");
        }
        assertEquals(before, inspect.snapshot(wallet));
    }
}
