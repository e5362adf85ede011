package io.tollgate.funding;

import static io.tollgate.funding.FundingSupport.addMethod;
import static io.tollgate.funding.FundingSupport.ref;
import static io.tollgate.funding.FundingSupport.units;
import static io.tollgate.support.TestApi.admin;
import static io.tollgate.support.TestApi.as;
import static io.tollgate.support.TestApi.balance;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.nullValue;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.quarkus.test.junit.QuarkusTest;
import io.restassured.RestAssured;
import io.tollgate.support.FakeStripe;
import io.tollgate.support.MailServer;
import io.tollgate.support.Poll;
import io.tollgate.support.WebhookReceiver;
import io.tollgate.support.TestApi;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** Quote → confirm → pending → succeeded, provider webhooks, payment methods, and bad input that changes nothing. */
@QuarkusTest
class ManualTopUpIT {
    static final String PROBLEM = "https://tollgate.dev/problems/";
    final FakeStripe stripe = FakeStripe.get();

    String quote(String tenant, String wallet, long micros) {
        return admin(tenant).body("{\"amountMicros\":" + micros + "}").post("/v1/wallets/" + wallet + "/top-up-quotes")
                .then().statusCode(201).extract().path("id");
    }

    io.restassured.response.Response confirm(String tenant, String wallet, String key, String quoteId) {
        var spec = key == null ? admin(tenant) : admin(tenant).header("Idempotency-Key", key);
        return spec.body("{\"quoteId\":\"" + quoteId + "\"}").post("/v1/wallets/" + wallet + "/top-ups");
    }

    String topUpState(String tenant, String wallet, String topUpId) {
        return admin(tenant).get("/v1/wallets/" + wallet + "/top-ups/" + topUpId).then().statusCode(200).extract().path("state");
    }

    @Test
    void aConfirmedQuoteIsChargedOnceAndAppliedOnce() throws Exception {
        String tenant = TestApi.newTenant();
        String owner = "owner-" + tenant + "@example.com";
        admin(tenant).body("{\"emails\":[\"" + owner + "\"]}").put("/v1/alert-settings").then().statusCode(200);
        String card = ref("pm_ok");
        String methodId = addMethod(tenant, card, "default");
        String wallet = TestApi.newWallet(tenant, "{\"currency\":\"USD\"}");
        admin(tenant).body("{\"amountMicros\":" + units(50) + "}").post("/v1/wallets/" + wallet + "/top-up-quotes").then().statusCode(201)
                .body("amountMicros", TestApi.micros(units(50))).body("feeMicros", TestApi.micros(0))
                .body("totalMicros", TestApi.micros(units(50))).body("paymentMethodId", equalTo(methodId));
        String quoteId = quote(tenant, wallet, units(50));
        String key = UUID.randomUUID().toString();
        String topUpId = confirm(tenant, wallet, key, quoteId).then().statusCode(202).body("state", equalTo("pending"))
                .header("Idempotent-Replayed", "false").extract().path("id");
        // The same key and quote answer the same top-up; the quote cannot be confirmed a second time under another key.
        confirm(tenant, wallet, key, quoteId).then().statusCode(202).body("id", equalTo(topUpId)).header("Idempotent-Replayed", "true");
        confirm(tenant, wallet, UUID.randomUUID().toString(), quoteId).then().statusCode(409).body("type", equalTo(PROBLEM + "quote-used"));

        assertTrue(Poll.until(20, () -> "succeeded".equals(topUpState(tenant, wallet, topUpId))));
        assertEquals(units(50), balance(tenant, wallet));
        assertTrue(Poll.until(10, () -> MailServer.to(owner).size() == 1), "the owner hears the top-up succeeded");
        assertTrue(MailServer.to(owner).get(0).subject().toLowerCase().contains("top-up"), MailServer.to(owner).get(0).subject());
        assertEquals(1, stripe.chargesOf(card));
        assertEquals(5000, stripe.intentsFor(card).get(0).amount);
    }

    @Test
    void slowSettlementWaitsForTheSignedWebhookAndDuplicatesChangeNothing() throws Exception {
        String tenant = TestApi.newTenant();
        String card = ref("pm_processing");
        addMethod(tenant, card, "default");
        String wallet = TestApi.newWallet(tenant, "{\"currency\":\"USD\"}");
        String topUpId = confirm(tenant, wallet, UUID.randomUUID().toString(), quote(tenant, wallet, units(30)))
                .then().statusCode(202).extract().path("id");
        assertTrue(Poll.until(20, () -> stripe.intentsFor(card).size() == 1 && "processing".equals(stripe.intentsFor(card).get(0).status)));
        String intent = stripe.intentsFor(card).get(0).id;
        String url = RestAssured.baseURI + ":" + RestAssured.port;
        long now = System.currentTimeMillis() / 1000;

        // Out of order: "processing" arrives after settlement; forged, stale and unsigned webhooks are refused.
        stripe.settle(intent);
        assertEquals(400, stripe.sendWebhook(url, "payment_intent.succeeded", intent, "whsec_wrong", now));
        assertEquals(400, stripe.sendWebhook(url, "payment_intent.succeeded", intent, FakeStripe.WEBHOOK_SECRET, now - 3600));
        RestAssured.given().contentType("application/json").body("{}").post("/v1/provider-webhooks/stripe").then().statusCode(400)
                .body("type", equalTo(PROBLEM + "invalid-signature"));
        assertEquals("pending", topUpState(tenant, wallet, topUpId), "settlement poll is 30 s in tests: nothing moved it yet");
        assertEquals(200, stripe.sendWebhook(url, "payment_intent.succeeded", intent, FakeStripe.WEBHOOK_SECRET, now));
        assertEquals(200, stripe.sendWebhook(url, "payment_intent.processing", intent, FakeStripe.WEBHOOK_SECRET, now));
        assertEquals(200, stripe.sendWebhook(url, "payment_intent.succeeded", intent, FakeStripe.WEBHOOK_SECRET, now));

        assertTrue(Poll.until(10, () -> "succeeded".equals(topUpState(tenant, wallet, topUpId))));
        Thread.sleep(500);
        assertEquals(units(30), balance(tenant, wallet));
        assertEquals(200, stripe.sendWebhook(url, "payment_intent.succeeded", intent, FakeStripe.WEBHOOK_SECRET, now));
        Thread.sleep(500);
        assertEquals(units(30), balance(tenant, wallet), "a late duplicate adds nothing");
    }

    @Test
    void aDeclinedManualTopUpFailsAddsNothingAndTellsTheOwner() throws Exception {
        String tenant = TestApi.newTenant();
        String hook = "/ok/" + tenant;
        admin(tenant).body("{\"url\":\"" + WebhookReceiver.get().url(hook) + "\"}").post("/v1/webhook-endpoints").then().statusCode(201);
        addMethod(tenant, ref("pm_decline"), "default");
        String wallet = TestApi.newWallet(tenant, "{\"currency\":\"USD\"}");
        String topUpId = confirm(tenant, wallet, UUID.randomUUID().toString(), quote(tenant, wallet, units(30)))
                .then().statusCode(202).extract().path("id");
        assertTrue(Poll.until(20, () -> "failed".equals(topUpState(tenant, wallet, topUpId))));
        admin(tenant).get("/v1/wallets/" + wallet + "/top-ups/" + topUpId).then().body("failureReason", org.hamcrest.Matchers.startsWith("insufficient_funds"));
        assertEquals(0, balance(tenant, wallet));
        assertTrue(Poll.until(10, () -> WebhookReceiver.get().at(hook).size() == 1));
        var alert = new io.vertx.core.json.JsonObject(WebhookReceiver.get().at(hook).get(0).body());
        assertEquals("topup.failed", alert.getString("type"));
        assertEquals(topUpId, alert.getJsonObject("data").getString("topUpId"));
    }

    @Test
    void badInputGetsAProblemAndChangesNothing() {
        String tenant = TestApi.newTenant();
        String other = TestApi.newTenant();
        String methodId = addMethod(tenant, ref("pm_ok"), "default");
        String otherMethod = addMethod(other, ref("pm_ok"), "default");
        String wallet = TestApi.newWallet(tenant, "{\"currency\":\"USD\"}");
        String otherWallet = TestApi.newWallet(other, "{\"currency\":\"USD\"}");
        String viewer = TestApi.newKey(tenant, "viewer");
        String pipeline = TestApi.newKey(tenant, "pipeline");
        String quotes = "/v1/wallets/" + wallet + "/top-up-quotes";

        for (String amount : List.of("0", "-5000000", "12.5", "\"10000000\"", "9007199254740992")) {
            admin(tenant).body("{\"amountMicros\":" + amount + "}").post(quotes).then().statusCode(400);
        }
        admin(tenant).body("{\"amountMicros\":1000000}").post(quotes).then().statusCode(422).body("type", equalTo(PROBLEM + "amount-out-of-range"));
        admin(tenant).body("{\"amountMicros\":10000000001}").post(quotes).then().statusCode(422).body("type", equalTo(PROBLEM + "amount-out-of-range"));
        admin(tenant).body("{\"amountMicros\":10000001}").post(quotes).then().statusCode(400); // not whole cents
        admin(tenant).body("{\"amountMicros\":10000000}").post("/v1/wallets/" + otherWallet + "/top-up-quotes").then().statusCode(404)
                .body("type", equalTo(PROBLEM + "wallet-not-found"));
        admin(tenant).body("{\"amountMicros\":10000000,\"paymentMethodId\":\"" + otherMethod + "\"}").post(quotes).then().statusCode(404)
                .body("type", equalTo(PROBLEM + "payment-method-not-found"));
        as(viewer).body("{\"amountMicros\":10000000}").post(quotes).then().statusCode(403);
        as(pipeline).body("{\"amountMicros\":10000000}").post(quotes).then().statusCode(403);
        confirm(tenant, wallet, UUID.randomUUID().toString(), "q_unknown").then().statusCode(404).body("type", equalTo(PROBLEM + "quote-not-found"));
        confirm(tenant, wallet, null, "q_unknown").then().statusCode(400).body("type", equalTo(PROBLEM + "invalid-idempotency-key"));

        // Settings: another tenant's card, roles that may not change settings, incomplete emergency settings.
        String path = "/v1/wallets/" + wallet;
        admin(tenant).body("{\"autoRecharge\":{\"paymentMethodId\":\"" + otherMethod + "\"}}").patch(path).then().statusCode(404)
                .body("type", equalTo(PROBLEM + "payment-method-not-found"));
        as(viewer).body("{\"autoRecharge\":{\"enabled\":false}}").patch(path).then().statusCode(403);
        as(pipeline).body("{\"emergencyTopUp\":{\"enabled\":true}}").patch(path).then().statusCode(403);
        admin(tenant).body("{\"emergencyTopUp\":{\"enabled\":true}}").patch(path).then().statusCode(422)
                .body("type", equalTo(PROBLEM + "emergency-top-up-incomplete"));
        admin(tenant).body("{\"emergencyTopUp\":{\"enabled\":true,\"targetMicros\":0,\"capMicros\":5}}").patch(path).then().statusCode(400);
        admin(tenant).body("{\"autoRecharge\":{\"enabled\":true,\"thresholdMicros\":10,\"amountMicros\":-20}}").patch(path).then().statusCode(400);
        // Payment methods: never a card number; owner only; another tenant's is not found.
        admin(tenant).body("{\"providerRef\":\"4242 4242 4242 4242\",\"brand\":\"visa\",\"last4\":\"4242\",\"expMonth\":12,\"expYear\":2031}")
                .post("/v1/payment-methods").then().statusCode(400);
        admin(tenant).body("{\"providerRef\":\"pm_4242424242424242\",\"brand\":\"visa\",\"last4\":\"4242\",\"expMonth\":12,\"expYear\":2031}")
                .post("/v1/payment-methods").then().statusCode(400);
        admin(tenant).body("{\"providerRef\":\"pm_ok_x\",\"brand\":\"visa\",\"last4\":\"4242\",\"expMonth\":1,\"expYear\":2020}")
                .post("/v1/payment-methods").then().statusCode(400);
        as(viewer).get("/v1/payment-methods").then().statusCode(403);
        as(pipeline).body("{\"role\":\"backup\"}").patch("/v1/payment-methods/" + methodId).then().statusCode(403);
        admin(tenant).delete("/v1/payment-methods/" + otherMethod).then().statusCode(404);

        // Nothing changed: no quotes confirmed, no top-ups, settings as created, one method.
        admin(tenant).get("/v1/wallets/" + wallet + "/top-ups").then().statusCode(200).body("size()", equalTo(0));
        admin(tenant).get(path).then().body("autoRecharge.enabled", equalTo(false)).body("autoRecharge.paymentMethodId", nullValue())
                .body("emergencyTopUp.enabled", equalTo(false)).body("balanceMicros", TestApi.micros(0));
        admin(tenant).get("/v1/payment-methods").then().body("size()", equalTo(1)).body("[0].role", equalTo("default"));
        admin(other).get("/v1/payment-methods").then().body("size()", equalTo(1));
    }

    @Test
    void aNewDefaultDemotesTheOldOneAndAnAmountNotAboveTheThresholdIsAllowedWithAWarning() {
        String tenant = TestApi.newTenant();
        String first = addMethod(tenant, ref("pm_ok"), "default");
        String second = addMethod(tenant, ref("pm_ok"), "default");
        admin(tenant).get("/v1/payment-methods").then().body("find { it.id == '" + first + "' }.role", equalTo("none"))
                .body("find { it.id == '" + second + "' }.role", equalTo("default"));
        String wallet = TestApi.newWallet(tenant, "{\"currency\":\"USD\"}");
        admin(tenant).body("{\"autoRecharge\":{\"enabled\":true,\"thresholdMicros\":" + units(10) + ",\"amountMicros\":" + units(5)
                + ",\"paymentMethodId\":\"" + first + "\"}}").patch("/v1/wallets/" + wallet).then().statusCode(200)
                .body("autoRecharge.paymentMethodId", equalTo(first)).body("warnings.size()", equalTo(1));
        admin(tenant).get("/v1/wallets/" + wallet).then().body("warnings", nullValue());
    }
}
