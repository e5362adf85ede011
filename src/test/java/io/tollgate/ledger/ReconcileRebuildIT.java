package io.tollgate.ledger;

import static io.tollgate.support.TestApi.UNIT;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.quarkus.redis.datasource.RedisDataSource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import io.tollgate.infra.config.TollgateConfig;
import io.tollgate.infra.redis.Keys;
import io.tollgate.support.Ledger;
import io.tollgate.support.LogCapture;
import io.tollgate.support.RedisInspector;
import io.tollgate.support.TestApi;
import jakarta.inject.Inject;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The ledger can prove Redis right, find where it is wrong, and put back what Redis lost. */
@QuarkusTest
class ReconcileRebuildIT {
    @Inject
    RedisDataSource redis;
    @Inject
    Keys keys;
    @Inject
    TollgateConfig config;

    JsonPath reconcile() {
        return TestApi.as(TestApi.ADMIN_KEY).get("/v1/admin/reconciliation").then().statusCode(200).extract().jsonPath();
    }

    List<String> problems(JsonPath report) {
        return report.getList("problems.walletId");
    }

    @Test
    void reconcileThenRebuildEveryWalletExactlyAfterRedisLostThem() throws Exception {
        String tenant = TestApi.newTenant();
        String pipeline = TestApi.newKey(tenant, "pipeline");
        List<String> wallets = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            String wallet = TestApi.newWallet(tenant, "{\"currency\":\"EUR\",\"name\":\"w" + i + "\",\"floorMicros\":-" + i * UNIT
                    + ",\"channels\":[\"+4915550" + i + "\"],\"autoRecharge\":{\"enabled\":true,\"thresholdMicros\":" + 3 * UNIT
                    + ",\"amountMicros\":" + 10 * UNIT + "}}");
            TestApi.credit(tenant, wallet, (5 + i) * UNIT).then().statusCode(200);
            String debitId = TestApi.debit(pipeline, wallet, "{\"amountMicros\":" + 4 * UNIT + ",\"origin\":\"manual\"}").then()
                    .statusCode(200).extract().path("debitId");
            TestApi.as(pipeline).header("Idempotency-Key", "rev-" + i).body("{\"amountMicros\":" + UNIT / 2 + "}")
                    .post("/v1/wallets/" + wallet + "/debits/" + debitId + "/reversals").then().statusCode(200);
            TestApi.admin(tenant).body("{\"automationFloorMicros\":" + i * 1000 + ",\"autoRecharge\":{\"enabled\":false}}")
                    .patch("/v1/wallets/" + wallet).then().statusCode(200);
            if (i % 2 == 0) {
                TestApi.admin(tenant).body("{\"status\":\"suspended\"}").patch("/v1/wallets/" + wallet).then().statusCode(200);
            }
            wallets.add(wallet);
        }
        Ledger ledger = new Ledger(config);
        RedisInspector inspect = new RedisInspector(redis, keys);
        Map<String, String> views = new HashMap<>();
        for (String wallet : wallets) {
            ledger.awaitSeq(wallet, Long.parseLong(inspect.walletHash(wallet).get("seq")));
            views.put(wallet, view(tenant, wallet));
        }

        // Every wallet the ledger knows is checked once: other tests' wallets may reach the ledger meanwhile.
        long walletsBefore = ledger.count("select count(distinct wallet_id) from ledger_entry");
        JsonPath report = reconcile();
        long walletsAfter = ledger.count("select count(distinct wallet_id) from ledger_entry");
        long checked = report.getLong("checked");
        assertTrue(checked >= walletsBefore && checked <= walletsAfter,
                "checked " + checked + " of " + walletsBefore + ".." + walletsAfter + " wallets in the ledger");
        assertTrue(checked >= 5);
        for (String wallet : wallets) {
            assertFalse(problems(report).contains(wallet), wallet + " in sync");
        }

        // Someone changes a balance behind Tollgate's back: reconciliation names the wallet, in its answer and its log.
        redis.hash(Long.class).hincrby(keys.wallet(wallets.get(0)), "bal", 5);
        try (LogCapture drift = LogCapture.errors(Reconciliation.class, "wallets drift from the ledger")) {
            assertTrue(problems(reconcile()).contains(wallets.get(0)), "drift reported");
            assertTrue(drift.messages().get(0).contains(wallets.get(0) + "=DRIFT"), "logged: " + drift.messages());
        }
        redis.hash(Long.class).hincrby(keys.wallet(wallets.get(0)), "bal", -5);

        // Redis loses the wallets: debits are refused, not taken from a wallet silently recreated at zero.
        for (String wallet : wallets) {
            redis.key(String.class).del(keys.wallet(wallet));
        }
        TestApi.debit(pipeline, wallets.get(1), "{\"amountMicros\":1,\"origin\":\"manual\"}").then().statusCode(404)
                .body("type", equalTo("https://tollgate.dev/problems/wallet-not-found"));
        JsonPath lost;
        try (LogCapture drift = LogCapture.errors(Reconciliation.class, "wallets drift from the ledger")) {
            lost = reconcile();
            for (String wallet : wallets) {
                assertTrue(problems(lost).contains(wallet), wallet + " reported missing");
                assertTrue(drift.messages().get(0).contains(wallet + "=MISSING_IN_REDIS"), "logged: " + drift.messages());
            }
        }
        assertTrue(lost.getList("problems.status").contains("MISSING_IN_REDIS"));

        TestApi.as(TestApi.ADMIN_KEY).post("/v1/admin/wallets/" + wallets.get(0) + "/rebuild?force=yes").then().statusCode(400)
                .body("type", equalTo("https://tollgate.dev/problems/invalid-request"));
        assertTrue(inspect.walletHash(wallets.get(0)).isEmpty(), "a refused rebuild restores nothing");
        for (String wallet : wallets) {
            TestApi.as(TestApi.ADMIN_KEY).post("/v1/admin/wallets/" + wallet + "/rebuild").then().statusCode(200);
            assertEquals(views.get(wallet), view(tenant, wallet), "balance, seq and settings of " + wallet + " restored");
        }
        TestApi.as(TestApi.ADMIN_KEY).post("/v1/admin/wallets/" + wallets.get(1) + "/rebuild").then().statusCode(409)
                .body("type", equalTo("https://tollgate.dev/problems/wallet-exists"));
        TestApi.as(TestApi.ADMIN_KEY).post("/v1/admin/wallets/w_neverexisted/rebuild").then().statusCode(404);
        TestApi.as(TestApi.newKey(tenant, "owner")).post("/v1/admin/wallets/" + wallets.get(1) + "/rebuild").then().statusCode(403);

        // The wallets carry on where the ledger left off: the next event continues the sequence without a gap.
        String wallet = wallets.get(1);
        long seqBefore = Long.parseLong(inspect.walletHash(wallet).get("seq"));
        TestApi.debit(pipeline, wallet, "{\"amountMicros\":" + UNIT + ",\"origin\":\"manual\"}").then().statusCode(200)
                .body("seq", TestApi.micros(seqBefore + 1));
        List<Ledger.Row> rows = ledger.awaitSeq(wallet, seqBefore + 1);
        for (int i = 0; i < rows.size(); i++) {
            assertEquals(i + 1, rows.get(i).seq());
        }
        for (String w : wallets) {
            assertFalse(problems(reconcile()).contains(w));
        }
    }

    /** What an owner sees of a wallet, without the time it was last written. */
    static String view(String tenant, String wallet) {
        Map<String, Object> view = new HashMap<>(TestApi.admin(tenant).get("/v1/wallets/" + wallet).then().statusCode(200)
                .extract().jsonPath().getMap(""));
        view.remove("updatedAt");
        return new java.util.TreeMap<>(view).toString();
    }
}
