package io.tollgate.wallet;

import static io.tollgate.support.TestApi.UNIT;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.quarkus.redis.datasource.RedisDataSource;
import io.quarkus.test.junit.QuarkusTest;
import io.tollgate.infra.redis.Keys;
import io.tollgate.support.RedisInspector;
import io.tollgate.support.TestApi;
import io.vertx.core.json.JsonObject;
import jakarta.inject.Inject;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Wallet administration, credits, and the events every change appends. */
@QuarkusTest
class WalletIT {
    @Inject
    RedisDataSource redis;
    @Inject
    Keys keys;
    @Inject
    io.vertx.core.Vertx vertx;

    @Test
    void aNewWalletHasTheSeedProductsDefaults() {
        String tenant = TestApi.newTenant();
        String owner = TestApi.newKey(tenant, "owner");
        String wallet = TestApi.as(owner).body("{\"currency\":\"EUR\",\"name\":\"marketing\"}").post("/v1/wallets").then().statusCode(201)
                .body("currency", equalTo("EUR")).body("balanceMicros", TestApi.micros(0)).body("floorMicros", TestApi.micros(0))
                .body("automationFloorMicros", TestApi.micros(5 * UNIT)).body("status", equalTo("active"))
                .body("tenantId", equalTo(tenant)).body("seq", TestApi.micros(1)).extract().path("id");
        TestApi.as(owner).get("/v1/wallets").then().statusCode(200).body("id", hasItem(wallet));
        List<Map<String, String>> events = new RedisInspector(redis, keys).events(wallet);
        assertEquals("wallet.created", events.get(0).get("type"));
        assertEquals("EUR", events.get(0).get("cur"), "every event carries the wallet's currency");
        JsonObject settings = new JsonObject(events.get(0).get("data"));
        assertEquals(5 * UNIT, settings.getLong("automationFloorMicros"), "the event carries the settings in effect");
        assertEquals(0L, settings.getLong("floorMicros"));
    }

    @Test
    void creationWithAnIdempotencyKeyMakesOneWalletPerKey() {
        String tenant = TestApi.newTenant();
        String body = "{\"currency\":\"EUR\",\"name\":\"campaigns\"}";
        io.restassured.response.Response first = TestApi.admin(tenant).header("Idempotency-Key", "create-campaigns-1").body(body)
                .post("/v1/wallets");
        first.then().statusCode(201).header("Idempotent-Replayed", "false");
        String wallet = first.path("id");
        TestApi.credit(tenant, wallet, 7 * UNIT);

        // a retry (with a default spelled out: the same settings) names the same wallet, created once
        TestApi.admin(tenant).header("Idempotency-Key", "create-campaigns-1").body("{\"currency\":\"EUR\",\"name\":\"campaigns\",\"floorMicros\":0}")
                .post("/v1/wallets").then().statusCode(201).header("Idempotent-Replayed", "true").body("id", equalTo(wallet))
                .body("balanceMicros", TestApi.micros(7 * UNIT));
        List<String> listed = TestApi.admin(tenant).get("/v1/wallets").then().statusCode(200).extract().path("id");
        assertEquals(List.of(wallet), listed);
        List<Map<String, String>> events = new RedisInspector(redis, keys).events(wallet);
        assertEquals(1, events.stream().filter(e -> "wallet.created".equals(e.get("type"))).count());

        String before = new RedisInspector(redis, keys).snapshot(wallet);
        TestApi.admin(tenant).header("Idempotency-Key", "create-campaigns-1").body("{\"currency\":\"USD\",\"name\":\"campaigns\"}")
                .post("/v1/wallets").then().statusCode(422).body("type", equalTo("https://tollgate.dev/problems/idempotency-conflict"));
        assertEquals(before, new RedisInspector(redis, keys).snapshot(wallet), "a conflict changes nothing");

        for (String bad : List.of("", "k".repeat(256), "tab\tkey")) {
            TestApi.admin(tenant).header("Idempotency-Key", bad).body(body).post("/v1/wallets").then().statusCode(400)
                    .body("type", equalTo("https://tollgate.dev/problems/invalid-idempotency-key"));
        }
        assertEquals(List.of(wallet), TestApi.admin(tenant).get("/v1/wallets").then().extract().path("id"), "nothing created");

        String otherTenant = TestApi.newTenant();
        String theirs = TestApi.admin(otherTenant).header("Idempotency-Key", "create-campaigns-1").body(body).post("/v1/wallets")
                .then().statusCode(201).header("Idempotent-Replayed", "false").extract().path("id");
        org.junit.jupiter.api.Assertions.assertNotEquals(wallet, theirs, "keys are per tenant");
        TestApi.admin(tenant).body(body).post("/v1/wallets").then().statusCode(201).header("Idempotent-Replayed", org.hamcrest.Matchers.nullValue());
    }

    @Test
    void concurrentCreationsWithOneKeyMakeOneWallet() throws Exception {
        String tenant = TestApi.newTenant();
        List<io.tollgate.support.Concurrent.Request> requests = new java.util.ArrayList<>();
        for (int i = 0; i < 50; i++) {
            requests.add(new io.tollgate.support.Concurrent.Request("/v1/wallets", Map.of("Authorization", "Bearer " + TestApi.ADMIN_KEY,
                    "Tollgate-Tenant", tenant, "Content-Type", "application/json", "Idempotency-Key", "one-wallet"), "{\"currency\":\"USD\"}"));
        }
        List<io.tollgate.support.Concurrent.Reply> replies = io.tollgate.support.Concurrent.post(vertx, requests, 50);
        assertEquals(50, replies.stream().filter(r -> r.status() == 201).count(), replies.get(0).body());
        assertEquals(1, replies.stream().map(r -> new JsonObject(r.body()).getString("id")).distinct().count());
        assertEquals(1, replies.stream().filter(r -> "false".equals(r.headers().get("Idempotent-Replayed"))).count(), "created once");
        assertEquals(1, ((List<?>) TestApi.admin(tenant).get("/v1/wallets").then().extract().path("id")).size());
    }

    @Test
    void aPartialAutoRechargeChangeKeepsTheOtherFields() {
        String tenant = TestApi.newTenant();
        String wallet = TestApi.newWallet(tenant, "{\"currency\":\"USD\",\"autoRecharge\":{\"enabled\":true,\"thresholdMicros\":"
                + 10 * UNIT + ",\"amountMicros\":" + 20 * UNIT + "}}");
        TestApi.admin(tenant).body("{\"autoRecharge\":{\"enabled\":false}}").patch("/v1/wallets/" + wallet).then().statusCode(200)
                .body("autoRecharge.enabled", equalTo(false)).body("autoRecharge.thresholdMicros", TestApi.micros(10 * UNIT))
                .body("autoRecharge.amountMicros", TestApi.micros(20 * UNIT));
        TestApi.admin(tenant).body("{\"autoRecharge\":{\"enabled\":true}}").patch("/v1/wallets/" + wallet).then().statusCode(200)
                .body("autoRecharge.enabled", equalTo(true));

        String bare = TestApi.newWallet(tenant, "{\"currency\":\"USD\"}");
        String before = new RedisInspector(redis, keys).snapshot(bare);
        TestApi.admin(tenant).body("{\"autoRecharge\":{\"enabled\":true,\"thresholdMicros\":5}}").patch("/v1/wallets/" + bare)
                .then().statusCode(422).body("type", equalTo("https://tollgate.dev/problems/auto-recharge-incomplete"));
        assertEquals(before, new RedisInspector(redis, keys).snapshot(bare), "refused before any write");
        TestApi.admin(tenant).body("{\"currency\":\"USD\",\"autoRecharge\":{\"enabled\":true}}").post("/v1/wallets").then().statusCode(400);
    }

    @Test
    void namesAreCountedInCharactersNotBytes() {
        String tenant = TestApi.newTenant();
        String name = "\u00e9".repeat(200);
        TestApi.admin(tenant).body("{\"currency\":\"USD\",\"name\":\"" + name + "\"}").post("/v1/wallets").then().statusCode(201)
                .body("name", equalTo(name));
        TestApi.admin(tenant).body("{\"currency\":\"USD\",\"name\":\"" + name + "x\"}").post("/v1/wallets").then().statusCode(400);
    }

    @Test
    void channelsRestrictWhichSendersMayDebit() {
        String tenant = TestApi.newTenant();
        String pipeline = TestApi.newKey(tenant, "pipeline");
        String wallet = TestApi.newWallet(tenant, "{\"currency\":\"USD\",\"channels\":[\"+15550001\",\"wa:shop\"],\"automationFloorMicros\":0}");
        TestApi.credit(tenant, wallet, UNIT).then().statusCode(200);
        TestApi.debit(pipeline, wallet, "{\"amountMicros\":1,\"channel\":\"wa:shop\"}").then().statusCode(200).body("decision", equalTo("approved"));
        TestApi.debit(pipeline, wallet, "{\"amountMicros\":1,\"channel\":\"+15559999\"}").then().statusCode(422)
                .body("type", equalTo("https://tollgate.dev/problems/unknown-channel"));
        TestApi.admin(tenant).body("{\"channels\":[]}").patch("/v1/wallets/" + wallet).then().statusCode(200).body("channels.size()", equalTo(0));
        TestApi.debit(pipeline, wallet, "{\"amountMicros\":1,\"channel\":\"+15559999\"}").then().statusCode(200);
        assertEquals(UNIT - 2, TestApi.balance(tenant, wallet));
    }

    @Test
    void creditsAreIdempotentAndAppendTheirEvent() {
        String tenant = TestApi.newTenant();
        String wallet = TestApi.newWallet(tenant, "{\"currency\":\"USD\"}");
        String body = "{\"amountMicros\":" + 25 * UNIT + ",\"reason\":\"launch promotion\",\"category\":\"promotion\"}";
        String first = TestApi.admin(tenant).header("Idempotency-Key", "promo-1").body(body).post("/v1/wallets/" + wallet + "/credits")
                .then().statusCode(200).header("Idempotent-Replayed", "false").body("balanceAfterMicros", TestApi.micros(25 * UNIT))
                .body("currency", equalTo("USD")).extract().asString();
        String again = TestApi.admin(tenant).header("Idempotency-Key", "promo-1").body(body).post("/v1/wallets/" + wallet + "/credits")
                .then().statusCode(200).header("Idempotent-Replayed", "true").extract().asString();
        assertEquals(first, again);
        TestApi.admin(tenant).header("Idempotency-Key", "promo-1").body(body.replace("25", "26")).post("/v1/wallets/" + wallet + "/credits")
                .then().statusCode(422);
        assertEquals(25 * UNIT, TestApi.balance(tenant, wallet));
        Map<String, String> credited = new RedisInspector(redis, keys).events(wallet).get(1);
        assertEquals("wallet.credited", credited.get("type"));
        assertEquals(String.valueOf(25 * UNIT), credited.get("amt"));
        assertEquals("launch promotion", new JsonObject(credited.get("data")).getString("reason"));
    }

    @Test
    void settingsChangesAppendWalletUpdated() {
        String tenant = TestApi.newTenant();
        String wallet = TestApi.newWallet(tenant, "{\"currency\":\"USD\"}");
        TestApi.admin(tenant).body("{\"floorMicros\":-" + 2 * UNIT + ",\"automationFloorMicros\":" + UNIT + "}")
                .patch("/v1/wallets/" + wallet).then().statusCode(200)
                .body("floorMicros", TestApi.micros(-2 * UNIT)).body("availableMicros", TestApi.micros(2 * UNIT));
        Map<String, String> updated = new RedisInspector(redis, keys).events(wallet).get(1);
        assertEquals("wallet.updated", updated.get("type"));
        assertEquals(-2 * UNIT, new JsonObject(updated.get("data")).getLong("floorMicros"));
        TestApi.admin(tenant).body("{}").patch("/v1/wallets/" + wallet).then().statusCode(400);
    }
}
