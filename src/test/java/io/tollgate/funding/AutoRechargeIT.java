package io.tollgate.funding;

import static io.tollgate.funding.FundingSupport.addMethod;
import static io.tollgate.funding.FundingSupport.autoRechargeWallet;
import static io.tollgate.funding.FundingSupport.forceDebit;
import static io.tollgate.funding.FundingSupport.ref;
import static io.tollgate.funding.FundingSupport.topUpStates;
import static io.tollgate.funding.FundingSupport.units;
import static io.tollgate.support.TestApi.balance;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.tollgate.infra.config.TollgateConfig;
import io.tollgate.support.Concurrent;
import io.tollgate.support.FakeStripe;
import io.tollgate.support.FakeStripeResource;
import io.tollgate.support.Ledger;
import io.tollgate.support.MailServer;
import io.tollgate.support.WebhookReceiver;
import io.tollgate.support.Poll;
import io.tollgate.support.TestApi;
import io.vertx.core.Vertx;
import jakarta.inject.Inject;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** balance.low → exactly one automatic charge per crossing, through the Stripe-compatible adapter and a real server. */
@QuarkusTest
@WithTestResource(value = FakeStripeResource.class, scope = TestResourceScope.GLOBAL)
class AutoRechargeIT {
    final FakeStripe stripe = FakeStripe.get();
    @Inject
    Vertx vertx;
    @Inject
    TollgateConfig config;

    @Test
    void thresholdTenAmountTwentyBalanceFallsToNineAndEndsAtTwentyNine() throws Exception {
        String tenant = TestApi.newTenant();
        String card = ref("pm_ok");
        addMethod(tenant, card, "default");
        String wallet = autoRechargeWallet(tenant, units(15), units(10), units(20));
        forceDebit(TestApi.newKey(tenant, "pipeline"), wallet, units(6));

        assertTrue(Poll.until(20, () -> balance(tenant, wallet) == units(29)), "balance 9 → 29 after the top-up");
        assertEquals(1, stripe.chargesOf(card));
        assertEquals(2000, stripe.intentsFor(card).get(0).amount, "20 USD charged in cents");
        assertTrue(Poll.until(5, () -> topUpStates(tenant, wallet).equals(List.of("succeeded"))), "the row follows the credit");
        // The ledger records the top-up like any money movement, with the balance it left.
        List<Ledger.Row> rows = new Ledger(config).awaitSeq(wallet, 5);
        assertTrue(rows.stream().anyMatch(r -> r.type().equals("topup.applied") && r.amountMicros() == units(20)
                && r.balanceAfterMicros() == units(29)), rows.toString());
    }

    @Test
    void fiveHundredConcurrentDebitsCrossTheThresholdOnceAndChargeOnce() throws Exception {
        String tenant = TestApi.newTenant();
        String card = ref("pm_ok");
        addMethod(tenant, card, "default");
        // 500 × 0.1 = 50 units: 60 → 10 crosses the threshold 20 once; after +100 no later debit can cross it again.
        String wallet = autoRechargeWallet(tenant, units(60), units(20), units(100));
        String pipeline = TestApi.newKey(tenant, "pipeline");
        List<Concurrent.Request> requests = new ArrayList<>();
        for (int i = 0; i < 500; i++) {
            requests.add(new Concurrent.Request("/v1/wallets/" + wallet + "/debits", Map.of("Authorization", "Bearer " + pipeline,
                    "Idempotency-Key", UUID.randomUUID().toString()), "{\"amountMicros\":100000,\"origin\":\"automated\",\"direction\":\"outbound\"}"));
        }
        List<Concurrent.Reply> replies = Concurrent.post(vertx, requests, 100);
        assertEquals(500, replies.stream().filter(r -> r.status() == 200 && r.body().contains("\"approved\"")).count(),
                () -> replies.stream().filter(r -> r.status() != 200).limit(5).toList().toString());

        assertTrue(Poll.until(20, () -> balance(tenant, wallet) == units(110)), "60 − 50 + 100");
        assertTrue(Poll.until(5, () -> topUpStates(tenant, wallet).equals(List.of("succeeded"))));
        Thread.sleep(2500); // a second charge, if any, would start within the worker's 1 s ticks
        assertEquals(1, stripe.chargesOf(card));
        assertEquals(1, topUpStates(tenant, wallet).size());
        assertEquals(units(110), balance(tenant, wallet));
    }

    @Test
    void providerTimesOutThenTheRetryFindsTheChargeMadeOneChargeOneCredit() throws Exception {
        String tenant = TestApi.newTenant();
        String card = ref("pm_ok");
        addMethod(tenant, card, "default");
        stripe.fault(card, FakeStripe.Fault.TIMEOUT_AFTER_CHARGE);
        String wallet = autoRechargeWallet(tenant, units(15), units(10), units(20));
        forceDebit(TestApi.newKey(tenant, "pipeline"), wallet, units(6));

        assertTrue(Poll.until(20, () -> topUpStates(tenant, wallet).equals(List.of("succeeded"))));
        assertEquals(1, stripe.intentsFor(card).size(), "one charge created");
        assertEquals(1, stripe.chargesOf(card), "money taken once");
        assertEquals(units(29), balance(tenant, wallet), "credited once");
    }

    @Test
    void errorsBeforeAndAfterTheChargeNeverChargeTwice() throws Exception {
        String tenant = TestApi.newTenant();
        String card = ref("pm_ok");
        addMethod(tenant, card, "default");
        // create answers 500 (replayed for its key), then confirm takes the money and answers 500.
        stripe.fault(card, FakeStripe.Fault.ERROR_500_BEFORE_CHARGE, FakeStripe.Fault.ERROR_500_AFTER_CHARGE);
        String wallet = autoRechargeWallet(tenant, units(15), units(10), units(20));
        forceDebit(TestApi.newKey(tenant, "pipeline"), wallet, units(6));

        assertTrue(Poll.until(30, () -> topUpStates(tenant, wallet).equals(List.of("succeeded"))));
        assertEquals(1, stripe.chargesOf(card), "money taken once");
        assertEquals(units(29), balance(tenant, wallet), "credited once");
    }

    @Test
    void aDeclineOnTheDefaultMethodSucceedsOnTheBackup() throws Exception {
        String tenant = TestApi.newTenant();
        String declining = ref("pm_decline");
        String backup = ref("pm_ok");
        addMethod(tenant, declining, "default");
        addMethod(tenant, backup, "backup");
        String wallet = autoRechargeWallet(tenant, units(15), units(10), units(20));
        forceDebit(TestApi.newKey(tenant, "pipeline"), wallet, units(6));

        assertTrue(Poll.until(20, () -> topUpStates(tenant, wallet).equals(List.of("succeeded"))));
        assertEquals(1, stripe.intentsFor(declining).size());
        assertEquals(0, stripe.chargesOf(declining));
        assertEquals(1, stripe.chargesOf(backup));
        assertEquals(units(29), balance(tenant, wallet));
        assertEquals(true, FundingSupport.wallet(tenant, wallet).getBoolean("autoRecharge.enabled"));
    }

    @Test
    void threeDeclinesInARowDisableAutoRechargeSendOneEmailAndOneWebhookAndTheWalletShowsIt() throws Exception {
        String tenant = TestApi.newTenant();
        String declining = ref("pm_decline");
        addMethod(tenant, declining, "default");
        String owner = "owner-" + tenant + "@example.com";
        String hook = "/ok/" + tenant;
        TestApi.admin(tenant).body("{\"emails\":[\"" + owner + "\"]}").put("/v1/alert-settings").then().statusCode(200);
        TestApi.admin(tenant).body("{\"url\":\"" + WebhookReceiver.get().url(hook) + "\"}").post("/v1/webhook-endpoints").then().statusCode(201);
        String wallet = autoRechargeWallet(tenant, units(15), units(10), units(20));
        String pipeline = TestApi.newKey(tenant, "pipeline");
        forceDebit(pipeline, wallet, units(6));

        assertTrue(Poll.until(20, () -> topUpStates(tenant, wallet).equals(List.of("failed"))));
        assertEquals(3, stripe.intentsFor(declining).size(), "three charges, all declined");
        assertEquals(0, stripe.chargesOf(declining));
        var w = FundingSupport.wallet(tenant, wallet);
        assertEquals(false, w.getBoolean("autoRecharge.enabled"));
        assertEquals("failing", w.getString("autoRecharge.status"));
        assertEquals(units(9), balance(tenant, wallet));
        // The owner is told once, by email and by webhook, that auto-recharge is off and the card needs updating.
        assertTrue(Poll.until(20, () -> MailServer.to(owner).size() == 1 && WebhookReceiver.get().at(hook).size() == 1));
        Thread.sleep(1500); // nothing else follows: a second alert would be dispatched within the 1 s ticks
        assertEquals(1, MailServer.to(owner).size());
        assertTrue(MailServer.to(owner).get(0).text().contains("Update the payment method"), MailServer.to(owner).get(0).text());
        assertEquals(1, WebhookReceiver.get().at(hook).size());
        var webhook = new io.vertx.core.json.JsonObject(WebhookReceiver.get().at(hook).get(0).body());
        assertEquals("auto_recharge.disabled", webhook.getString("type"));
        assertEquals(wallet, webhook.getString("walletId"));
        assertEquals(3, webhook.getJsonObject("data").getInteger("failures"));
        // With auto-recharge off, automated traffic is declined at the floor again (9 − 10 < 0).
        TestApi.debit(pipeline, wallet, "{\"amountMicros\":" + units(10) + ",\"origin\":\"automated\",\"direction\":\"outbound\"}")
                .then().statusCode(200).body("decision", org.hamcrest.Matchers.equalTo("declined"));
        // The owner turns it on again after updating the card: no longer failing.
        TestApi.admin(tenant).body("{\"autoRecharge\":{\"enabled\":true}}").patch("/v1/wallets/" + wallet).then().statusCode(200)
                .body("autoRecharge.status", org.hamcrest.Matchers.equalTo("ok"));
    }

    @Test
    void automatedTrafficDeclinedAtZeroFlowsAgainOnceTheTopUpLands() throws Exception {
        String tenant = TestApi.newTenant();
        String card = ref("pm_processing");
        addMethod(tenant, card, "default");
        String wallet = autoRechargeWallet(tenant, units(12), units(10), units(20));
        String pipeline = TestApi.newKey(tenant, "pipeline");
        String twelve = "{\"amountMicros\":" + units(12) + ",\"origin\":\"automated\",\"direction\":\"outbound\"}";
        TestApi.debit(pipeline, wallet, twelve).then().body("decision", org.hamcrest.Matchers.equalTo("approved"));
        TestApi.debit(pipeline, wallet, twelve).then().body("reason", org.hamcrest.Matchers.equalTo("insufficient_funds"));

        // The charge stays processing (slow settlement) until the provider settles it and says so by webhook.
        assertTrue(Poll.until(20, () -> stripe.intentsFor(card).size() == 1 && stripe.intentsFor(card).get(0).status.equals("processing")));
        stripe.settle(stripe.intentsFor(card).get(0).id);
        assertEquals(200, stripe.sendWebhook(io.restassured.RestAssured.baseURI + ":" + io.restassured.RestAssured.port,
                "payment_intent.succeeded", stripe.intentsFor(card).get(0).id, FakeStripe.WEBHOOK_SECRET, System.currentTimeMillis() / 1000));
        assertTrue(Poll.until(10, () -> balance(tenant, wallet) == units(20)), "settlement poll is 30 s in tests: the webhook did it");
        TestApi.debit(pipeline, wallet, twelve).then().body("decision", org.hamcrest.Matchers.equalTo("approved"));
    }

    @Test
    void atMostTheDailyCapOfAutomaticChargesPerWalletTheRestAreSkipped() throws Exception {
        String tenant = TestApi.newTenant();
        String card = ref("pm_ok");
        addMethod(tenant, card, "default");
        String wallet = autoRechargeWallet(tenant, units(15), units(10), units(20));
        String pipeline = TestApi.newKey(tenant, "pipeline");
        for (int crossing = 1; crossing <= 6; crossing++) { // the default cap is 5 a day
            long balance = balance(tenant, wallet);
            forceDebit(pipeline, wallet, balance - units(9));
            int expected = crossing;
            assertTrue(Poll.until(20, () -> topUpStates(tenant, wallet).size() == expected), "crossing " + crossing);
            if (crossing <= 5) {
                assertTrue(Poll.until(20, () -> balance(tenant, wallet) == units(29)), "crossing " + crossing);
            }
        }
        assertEquals("skipped", FundingSupport.topUps(tenant, wallet).getString("[0].state"), "the newest is the sixth");
        assertTrue(FundingSupport.topUps(tenant, wallet).getString("[0].failureReason").startsWith("daily_cap"));
        Thread.sleep(1500);
        assertEquals(5, stripe.chargesOf(card));
        assertEquals(units(9), balance(tenant, wallet));
    }
}
