package io.tollgate.alert;

import static io.tollgate.support.TestApi.UNIT;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.not;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import io.tollgate.support.Concurrent;
import io.tollgate.support.MailServer;
import io.tollgate.support.TestApi;
import io.tollgate.support.WebhookReceiver;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import jakarta.inject.Inject;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.BooleanSupplier;
import java.util.stream.Collectors;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.junit.jupiter.api.Test;

/** Alerts end to end: real Kafka events, real PostgreSQL, a real SMTP server and a real webhook receiver. */
@QuarkusTest
class AlertIT {
    static final Duration WAIT = Duration.ofSeconds(30);

    @Inject
    Vertx vertx;
    @Inject
    AlertService alerts;

    final WebhookReceiver receiver = WebhookReceiver.get();

    @Test
    void lowBalanceIsSentOncePerDayPerLevelHoweverManyDebitsCrossIt() throws Exception {
        String tenant = TestApi.newTenant();
        String pipeline = TestApi.newKey(tenant, "pipeline");
        String ops = "ops-" + tenant + "@example.com";
        String cfo = "cfo-" + tenant + "@example.com";
        setEmails(tenant, ops, cfo);
        String hook = "/ok/" + tenant;
        newEndpoint(tenant, receiver.url(hook));
        String wallet = TestApi.fundedWallet(tenant, 20 * UNIT, 0, 0);
        TestApi.admin(tenant).get("/v1/wallets/" + wallet).then().body("lowBalance.levelsMicros", equalTo(List.of()))
                .body("lowBalance.below", equalTo(false));
        setLevels(tenant, wallet, 10 * UNIT, 15 * UNIT).then().statusCode(200);
        TestApi.admin(tenant).get("/v1/wallets/" + wallet).then().body("lowBalance.below", equalTo(false))
                .body("lowBalance.levelsMicros", equalTo(List.of((int) (15 * UNIT), (int) (10 * UNIT))));

        List<Concurrent.Request> debits = new ArrayList<>();
        for (int i = 0; i < 200; i++) { // 200 × 0.06 = 12: the balance passes 15 and 10 on its way to 8
            debits.add(new Concurrent.Request("/v1/wallets/" + wallet + "/debits", Map.of("Authorization", "Bearer " + pipeline,
                    "Idempotency-Key", "low-" + i), "{\"amountMicros\":60000,\"origin\":\"manual\"}"));
        }
        assertTrue(Concurrent.post(vertx, debits, 50).stream().allMatch(r -> r.status() == 200 && r.body().contains("approved")));
        assertEquals(8 * UNIT, TestApi.balance(tenant, wallet));
        // the wallet says what the alerts say: its balance is at or below its (highest) low-balance level
        TestApi.admin(tenant).get("/v1/wallets/" + wallet).then().body("lowBalance.below", equalTo(true));
        TestApi.admin(tenant).get("/v1/wallets").then().body("find { it.id == '" + wallet + "' }.lowBalance.below", equalTo(true));

        // A barrier: a new level 9 and one more debit. Events of a wallet are consumed in order, so once level 9 is
        // delivered, every event of the 200 debits has been seen.
        setLevels(tenant, wallet, 15 * UNIT, 10 * UNIT, 9 * UNIT).then().statusCode(200);
        TestApi.debit(pipeline, wallet, "{\"amountMicros\":10000,\"origin\":\"manual\"}").then().statusCode(200);
        await(() -> deliveries(tenant).getList("state").stream().filter("delivered"::equals).count() == 9,
                () -> "3 levels × (2 emails + 1 webhook) delivered: " + deliveries(tenant).prettify());

        for (String address : List.of(ops, cfo)) {
            List<MailServer.Received> mails = MailServer.to(address);
            assertEquals(3, mails.size(), "one email per level for " + address + ": " + mails);
            assertEquals(Set.of("15.00 USD", "10.00 USD", "9.00 USD"), mails.stream()
                    .map(m -> m.subject().replaceAll(".*at or below (.*)\\)$", "$1")).collect(Collectors.toSet()));
        }
        List<WebhookReceiver.Received> hooks = receiver.at(hook);
        assertEquals(3, hooks.size(), "one webhook per level");
        assertEquals(Set.of(15 * UNIT, 10 * UNIT, 9 * UNIT), hooks.stream()
                .map(h -> new JsonObject(h.body()).getJsonObject("data").getLong("levelMicros")).collect(Collectors.toSet()));
        assertTrue(hooks.stream().allMatch(h -> new JsonObject(h.body()).getString("type").equals("balance.low")));

        // Funds arrive and the balance crosses 15 and 10 again the same day: nobody is told twice. Barrier: level 7.
        TestApi.credit(tenant, wallet, 10 * UNIT).then().statusCode(200);
        TestApi.debit(pipeline, wallet, "{\"amountMicros\":" + 10 * UNIT + ",\"origin\":\"manual\"}").then().statusCode(200);
        setLevels(tenant, wallet, 15 * UNIT, 10 * UNIT, 9 * UNIT, 7 * UNIT).then().statusCode(200);
        TestApi.debit(pipeline, wallet, "{\"amountMicros\":" + UNIT + ",\"origin\":\"manual\"}").then().statusCode(200);
        await(() -> receiver.at(hook).size() == 4 && MailServer.to(ops).size() == 4 && MailServer.to(cfo).size() == 4, "level 7 only");
        assertEquals(7 * UNIT, new JsonObject(receiver.at(hook).get(3).body()).getJsonObject("data").getLong("levelMicros"));
    }

    @Test
    void aDepletedBalanceRaisesBalanceDepleted() {
        String tenant = TestApi.newTenant();
        String pipeline = TestApi.newKey(tenant, "pipeline");
        String ops = "ops-" + tenant + "@example.com";
        setEmails(tenant, ops);
        String hook = "/ok/" + tenant;
        newEndpoint(tenant, receiver.url(hook));
        String wallet = TestApi.fundedWallet(tenant, UNIT, 0, 0);

        TestApi.debit(pipeline, wallet, "{\"amountMicros\":" + UNIT + ",\"origin\":\"manual\"}").then().statusCode(200)
                .body("decision", equalTo("approved"));

        await(() -> receiver.at(hook).size() == 1 && MailServer.to(ops).size() == 1, "a webhook and an email");
        JsonObject body = new JsonObject(receiver.at(hook).get(0).body());
        assertEquals("balance.depleted", body.getString("type"));
        assertEquals(wallet, body.getString("walletId"));
        assertEquals(0L, body.getJsonObject("data").getLong("balanceAfterMicros"));
        assertTrue(MailServer.to(ops).get(0).subject().contains("depleted"));
    }

    @Test
    void raisingTheSameDedupeKeyAgainDeliversOncePerChannel() {
        String tenant = TestApi.newTenant();
        String ops = "ops-" + tenant + "@example.com";
        setEmails(tenant, ops);
        String first = "/ok/" + tenant + "/first";
        newEndpoint(tenant, receiver.url(first));
        Alert alert = new Alert(tenant, "w_x", AlertType.TOPUP_SUCCEEDED, "topup:" + tenant, Map.of("amountMicros", 20 * UNIT));

        alerts.raise(alert).await().atMost(WAIT);
        alerts.raise(alert).await().atMost(WAIT);
        await(() -> receiver.at(first).size() == 1 && MailServer.to(ops).size() == 1, "delivered");
        String second = "/ok/" + tenant + "/second";
        newEndpoint(tenant, receiver.url(second));
        alerts.raise(alert).await().atMost(WAIT);

        await(() -> receiver.at(second).size() == 1, "an endpoint added later still gets the alert once");
        await(() -> deliveries(tenant).getList("state").stream().allMatch("delivered"::equals), "all delivered");
        assertEquals(3, deliveries(tenant).getList("id").size(), "one delivery per channel target");
        assertEquals(1, receiver.at(first).size());
        assertEquals(1, MailServer.to(ops).size());
        assertEquals(new JsonObject(receiver.at(first).get(0).body()).getString("id"),
                new JsonObject(receiver.at(second).get(0).body()).getString("id"), "the alert id is the same on every channel");
    }

    @Test
    void theWebhookSignatureVerifiesWithTheSecretShownAtCreation() throws Exception {
        String tenant = TestApi.newTenant();
        String hook = "/ok/" + tenant;
        JsonPath created = newEndpoint(tenant, receiver.url(hook));
        String secret = created.getString("secret");
        assertTrue(secret.startsWith("whsec_"));
        TestApi.admin(tenant).get("/v1/webhook-endpoints").then().statusCode(200)
                .body("id", hasItem(created.getString("id"))).body("[0]", not(org.hamcrest.Matchers.hasKey("secret")));

        alerts.raise(new Alert(tenant, "w_sig", AlertType.TOPUP_FAILED, "failed:1", Map.of("reason", "card declined"))).await().atMost(WAIT);
        await(() -> receiver.at(hook).size() == 1, "the webhook");

        WebhookReceiver.Received request = receiver.at(hook).get(0);
        Map<String, String> parts = Map.of(request.header("Tollgate-Signature").split(",")[0].split("=")[0],
                request.header("Tollgate-Signature").split(",")[0].split("=")[1],
                "v1", request.header("Tollgate-Signature").split(",")[1].substring(3));
        long t = Long.parseLong(parts.get("t"));
        assertTrue(Math.abs(System.currentTimeMillis() / 1000 - t) < 60, "a current timestamp");
        Mac mac = Mac.getInstance("HmacSHA256");
        mac.init(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
        String expected = HexFormat.of().formatHex(mac.doFinal((t + "." + request.body()).getBytes(StandardCharsets.UTF_8)));
        assertEquals(expected, parts.get("v1"));
        assertEquals("application/json", request.header("Content-Type"));
        JsonObject body = new JsonObject(request.body());
        assertEquals("topup.failed", body.getString("type"));
        assertEquals(tenant, body.getString("tenantId"));
        assertEquals("w_sig", body.getString("walletId"));
        assertNotNull(body.getString("createdAt"));
        assertEquals("card declined", body.getJsonObject("data").getString("reason"));
        assertEquals(request.header("Tollgate-Delivery-Id"), deliveries(tenant).getString("[0].id"));
    }

    @Test
    void aFailedWebhookIsRetriedWithBackoffUntilItIsDeliveredOrGivenUp() {
        String tenant = TestApi.newTenant();
        String flaky = "/fail-once/" + tenant;
        String broken = "/always-500/" + tenant;
        newEndpoint(tenant, receiver.url(flaky));
        String brokenId = newEndpoint(tenant, receiver.url(broken)).getString("id");

        alerts.raise(new Alert(tenant, null, AlertType.AUTO_RECHARGE_DISABLED, "ar-off:1", Map.of("failures", 3))).await().atMost(WAIT);

        await(() -> deliveries(tenant).getList("state").containsAll(List.of("delivered", "failed")), "one delivered, one given up");
        JsonPath log = deliveries(tenant);
        Map<String, Object> failed = log.getMap("find { it.target == '" + brokenId + "' }");
        Map<String, Object> delivered = log.getMap("find { it.target != '" + brokenId + "' }");
        assertEquals("delivered", delivered.get("state"));
        assertEquals(2, delivered.get("attempts"), "one 500, then delivered");
        assertEquals(200, delivered.get("lastStatus"));
        assertEquals("failed", failed.get("state"));
        assertEquals(3, failed.get("attempts"), "given up after tollgate.alerts.max-attempts");
        assertEquals(500, failed.get("lastStatus"));
        List<WebhookReceiver.Received> tries = receiver.at(flaky);
        assertEquals(2, tries.size());
        assertTrue(tries.get(1).receivedAtNanos() - tries.get(0).receivedAtNanos() >= 150_000_000L, "waited the backoff");
        assertEquals(3, receiver.at(broken).size());
    }

    @Test
    void anEndpointThatNeverAnswersDelaysNeitherOtherTenantsNorDebits() {
        String slow = TestApi.newTenant();
        String pipeline = TestApi.newKey(slow, "pipeline");
        String dead = "/hang/" + slow;
        newEndpoint(slow, receiver.url(dead));
        for (int i = 0; i < 6; i++) {
            alerts.raise(new Alert(slow, null, AlertType.TOPUP_FAILED, "dead:" + i, Map.of())).await().atMost(WAIT);
        }
        String other = TestApi.newTenant();
        String hook = "/ok/" + other;
        newEndpoint(other, receiver.url(hook));
        long start = System.nanoTime();
        alerts.raise(new Alert(other, null, AlertType.TOPUP_SUCCEEDED, "fine:1", Map.of())).await().atMost(WAIT);

        await(() -> receiver.at(hook).size() == 1, "the other tenant's webhook");
        long millis = (System.nanoTime() - start) / 1_000_000;
        assertTrue(millis < 2000, "delivered in " + millis + " ms, before the dead endpoint's 3 s timeout");

        String wallet = TestApi.fundedWallet(slow, 10 * UNIT, 0, 0);
        for (int i = 0; i < 20; i++) {
            long before = System.nanoTime();
            TestApi.debit(pipeline, wallet, "{\"amountMicros\":1000,\"origin\":\"manual\"}").then().statusCode(200);
            assertTrue(System.nanoTime() - before < 1_000_000_000L, "a debit answered within 1 s");
        }
        await(() -> deliveries(slow).getList("lastError").stream().anyMatch(e -> e != null && e.toString().contains("no answer")),
                "the dead endpoint's attempts time out and are logged");
    }

    @Test
    void theDeliveryLogIsPerTenant() {
        String tenant = TestApi.newTenant();
        String hook = "/ok/" + tenant;
        newEndpoint(tenant, receiver.url(hook));
        alerts.raise(new Alert(tenant, null, AlertType.TOPUP_SUCCEEDED, "mine:1", Map.of())).await().atMost(WAIT);
        await(() -> receiver.at(hook).size() == 1, "delivered");
        String viewer = TestApi.newKey(tenant, "viewer");
        TestApi.as(viewer).get("/v1/alert-deliveries?limit=10").then().statusCode(200).body("size()", equalTo(1))
                .body("[0].dedupeKey", equalTo("mine:1")).body("[0].channel", equalTo("webhook")).body("[0].alertType", equalTo("topup.succeeded"));

        String stranger = TestApi.newTenant();
        TestApi.admin(stranger).get("/v1/alert-deliveries").then().statusCode(200).body("size()", equalTo(0));
        TestApi.as(viewer).get("/v1/alert-deliveries?limit=0").then().statusCode(400);
        TestApi.as(viewer).get("/v1/alert-deliveries?limit=501").then().statusCode(400);
    }

    @Test
    void badInputIsRefusedAndChangesNothing() {
        String tenant = TestApi.newTenant();
        String owner = TestApi.newKey(tenant, "owner");
        String viewer = TestApi.newKey(tenant, "viewer");
        String pipeline = TestApi.newKey(tenant, "pipeline");
        String wallet = TestApi.newWallet(tenant, "{\"currency\":\"USD\"}");
        setEmails(tenant, "a@example.com");
        setLevels(tenant, wallet, 5 * UNIT).then().statusCode(200);

        String other = TestApi.newTenant();
        String theirs = TestApi.newWallet(other, "{\"currency\":\"USD\"}");
        problem(TestApi.as(owner).get("/v1/wallets/" + theirs + "/alert-settings"), 404, "wallet-not-found");
        problem(TestApi.as(owner).body("{\"lowBalanceLevelsMicros\":[1]}").put("/v1/wallets/" + theirs + "/alert-settings"), 404, "wallet-not-found");

        for (String key : List.of(viewer, pipeline)) {
            problem(TestApi.as(key).body("{\"emails\":[\"b@example.com\"]}").put("/v1/alert-settings"), 403, "forbidden");
            problem(TestApi.as(key).body("{\"lowBalanceLevelsMicros\":[1]}").put("/v1/wallets/" + wallet + "/alert-settings"), 403, "forbidden");
            problem(TestApi.as(key).body("{\"url\":\"https://example.com/hook\"}").post("/v1/webhook-endpoints"), 403, "forbidden");
        }
        problem(TestApi.as(pipeline).get("/v1/alert-settings"), 403, "forbidden");
        TestApi.as(viewer).get("/v1/alert-settings").then().statusCode(200);

        for (String body : List.of("{\"emails\":[\"not an address\"]}", "{\"emails\":[\"a@b\"]}", "{\"emails\":null}", "{}",
                "{\"emails\":[\"x@example.com\",\"x@example.com\"]}", "{\"emails\":[1]}", "{\"emails\":[\"a@example.com\"],\"cc\":[]}",
                "{\"emails\":[" + "\"a@example.com\",".repeat(10) + "\"k@example.com\"]}")) {
            problem(TestApi.as(owner).body(body).put("/v1/alert-settings"), 400, "invalid-request");
        }
        TestApi.as(owner).get("/v1/alert-settings").then().body("emails", equalTo(List.of("a@example.com")));

        for (String body : List.of("{\"lowBalanceLevelsMicros\":[1,2,3,4,5,6]}", "{\"lowBalanceLevelsMicros\":[7,7]}",
                "{\"lowBalanceLevelsMicros\":[9007199254740992]}", "{\"lowBalanceLevelsMicros\":[-9007199254740992]}",
                "{\"lowBalanceLevelsMicros\":[1.5]}", "{\"lowBalanceLevelsMicros\":[\"5\"]}", "{}")) {
            problem(TestApi.as(owner).body(body).put("/v1/wallets/" + wallet + "/alert-settings"), 400, "invalid-request");
        }
        TestApi.as(viewer).get("/v1/wallets/" + wallet + "/alert-settings").then().statusCode(200)
                .body("lowBalanceLevelsMicros", equalTo(List.of((int) (5 * UNIT))));

        for (String url : List.of("ftp://example.com/x", "not a url", "http://user:pw@example.com/", "/relative", "https://", "",
                // internal addresses (SSRF): the cloud metadata service, private networks, IPv6 loopback and unique-local
                "http://169.254.169.254/latest/meta-data/", "http://10.0.0.1:6379/", "https://192.168.1.1/hook",
                "http://[::1]:8080/", "http://[fd00::1]/", "http://0.0.0.0:5432/")) {
            problem(TestApi.as(owner).body(new JsonObject().put("url", url).encode()).post("/v1/webhook-endpoints"), 400, "invalid-request");
        }
        TestApi.as(owner).get("/v1/webhook-endpoints").then().body("size()", equalTo(0));

        problem(TestApi.as(owner).delete("/v1/webhook-endpoints/we_unknown"), 404, "webhook-endpoint-not-found");
        String theirEndpoint = newEndpoint(other, "https://example.com/theirs").getString("id");
        problem(TestApi.as(owner).delete("/v1/webhook-endpoints/" + theirEndpoint), 404, "webhook-endpoint-not-found");
        TestApi.admin(other).get("/v1/webhook-endpoints").then().body("size()", equalTo(1));

        for (int i = 0; i < 10; i++) {
            newEndpoint(tenant, "https://example.com/hook/" + i);
        }
        problem(TestApi.as(owner).body("{\"url\":\"https://example.com/eleventh\"}").post("/v1/webhook-endpoints"), 422, "webhook-endpoint-limit");
        String first = TestApi.as(viewer).get("/v1/webhook-endpoints").then().extract().path("[0].id");
        TestApi.as(owner).delete("/v1/webhook-endpoints/" + first).then().statusCode(204);
        newEndpoint(tenant, "https://example.com/eleventh");
    }

    private static void problem(io.restassured.response.Response response, int status, String slug) {
        response.then().statusCode(status).contentType("application/problem+json")
                .body("type", equalTo("https://tollgate.dev/problems/" + slug));
    }

    private static void setEmails(String tenant, String... emails) {
        JsonObject body = new JsonObject().put("emails", List.of(emails));
        TestApi.admin(tenant).body(body.encode()).put("/v1/alert-settings").then().statusCode(200).body("emails.size()", equalTo(emails.length));
    }

    private static io.restassured.response.Response setLevels(String tenant, String wallet, Long... levels) {
        return TestApi.admin(tenant).body(new JsonObject().put("lowBalanceLevelsMicros", List.of(levels)).encode())
                .put("/v1/wallets/" + wallet + "/alert-settings");
    }

    private static JsonPath newEndpoint(String tenant, String url) {
        return TestApi.admin(tenant).body(new JsonObject().put("url", url).encode()).post("/v1/webhook-endpoints")
                .then().statusCode(201).body("url", equalTo(url)).extract().jsonPath();
    }

    private static JsonPath deliveries(String tenant) {
        return TestApi.admin(tenant).get("/v1/alert-deliveries?limit=500").then().statusCode(200).extract().jsonPath();
    }

    /** Polls until the condition holds, at most {@link #WAIT}. */
    static void await(BooleanSupplier condition, String what) {
        await(condition, () -> what);
    }

    /** Like {@link #await(BooleanSupplier, String)}, describing the state at the deadline, not when the wait began. */
    static void await(BooleanSupplier condition, java.util.function.Supplier<String> what) {
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("timed out waiting for: " + what.get());
            }
            try {
                Thread.sleep(50);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError(e);
            }
        }
    }

    static void assertNone(boolean condition, String what) {
        assertFalse(condition, what);
    }
}
