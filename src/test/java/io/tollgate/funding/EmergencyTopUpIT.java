package io.tollgate.funding;

import static io.tollgate.funding.FundingSupport.addMethod;
import static io.tollgate.funding.FundingSupport.forceDebit;
import static io.tollgate.funding.FundingSupport.ref;
import static io.tollgate.funding.FundingSupport.topUpStates;
import static io.tollgate.funding.FundingSupport.units;
import static io.tollgate.support.TestApi.balance;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.quarkus.redis.datasource.RedisDataSource;
import io.quarkus.test.junit.QuarkusTest;
import io.tollgate.infra.config.TollgateConfig;
import io.tollgate.infra.kafka.KafkaSetup;
import io.tollgate.infra.redis.Keys;
import io.tollgate.outbox.OutboxEvent;
import io.tollgate.support.FakeStripe;
import io.tollgate.support.Ledger;
import io.tollgate.support.Poll;
import io.tollgate.support.RedisInspector;
import io.tollgate.support.TestApi;
import jakarta.inject.Inject;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;

/** balance.depleted → emergency top-ups; redelivery and a pod dying mid-charge never charge twice. */
@QuarkusTest
class EmergencyTopUpIT {
    final FakeStripe stripe = FakeStripe.get();
    @Inject
    RedisDataSource redis;
    @Inject
    Keys keys;
    @Inject
    KafkaSetup kafka;
    @Inject
    TollgateConfig config;

    String emergencyWallet(String tenant, boolean enabled) {
        String wallet = TestApi.newWallet(tenant, "{\"currency\":\"USD\",\"automationFloorMicros\":0}");
        TestApi.credit(tenant, wallet, units(3)).then().statusCode(200);
        TestApi.admin(tenant).body("{\"emergencyTopUp\":{\"enabled\":" + enabled + ",\"targetMicros\":" + units(20)
                + ",\"capMicros\":" + units(50) + "}}").patch("/v1/wallets/" + wallet).then().statusCode(200)
                .body("emergencyTopUp.enabled", org.hamcrest.Matchers.equalTo(enabled));
        return wallet;
    }

    @Test
    void emergencyTopUpAtZeroWithAutoRechargeOffBringsTheBalanceToTheTarget() throws Exception {
        String tenant = TestApi.newTenant();
        String card = ref("pm_ok");
        addMethod(tenant, card, "default");
        String wallet = emergencyWallet(tenant, true);
        forceDebit(TestApi.newKey(tenant, "pipeline"), wallet, units(8)); // 3 → −5: depleted

        assertTrue(Poll.until(20, () -> balance(tenant, wallet) == units(20)), "−5 + 25 = the target 20");
        assertTrue(Poll.until(5, () -> topUpStates(tenant, wallet).equals(List.of("succeeded"))), "the row follows the credit");
        assertEquals("emergency", FundingSupport.topUps(tenant, wallet).getString("[0].kind"));
        assertEquals(2500, stripe.intentsFor(card).get(0).amount);
    }

    @Test
    void anEmergencyTopUpNeverExceedsItsCap() throws Exception {
        String tenant = TestApi.newTenant();
        String card = ref("pm_ok");
        addMethod(tenant, card, "default");
        String wallet = emergencyWallet(tenant, true);
        TestApi.admin(tenant).body("{\"emergencyTopUp\":{\"capMicros\":" + units(10) + "}}").patch("/v1/wallets/" + wallet)
                .then().statusCode(200).body("emergencyTopUp.targetMicros", TestApi.micros(units(20)));
        forceDebit(TestApi.newKey(tenant, "pipeline"), wallet, units(8)); // 3 → −5; the target needs 25, the cap allows 10

        assertTrue(Poll.until(20, () -> balance(tenant, wallet) == units(5)));
        assertEquals(1000, stripe.intentsFor(card).get(0).amount);
    }

    @Test
    void noEmergencyTopUpWhenTheTenantDidNotEnableIt() throws Exception {
        String tenant = TestApi.newTenant();
        String card = ref("pm_ok");
        addMethod(tenant, card, "default");
        String disabled = emergencyWallet(tenant, false);
        String enabled = emergencyWallet(tenant, true);
        String pipeline = TestApi.newKey(tenant, "pipeline");
        forceDebit(pipeline, disabled, units(8));
        forceDebit(pipeline, enabled, units(8));

        // Both depletions are in the same topic; once the later one was handled, the earlier one was too.
        assertTrue(Poll.until(20, () -> balance(tenant, enabled) == units(20)));
        Thread.sleep(1000); // the two wallets may sit on different partitions: give the other one time to be wrong
        assertEquals(List.of(), topUpStates(tenant, disabled));
        assertEquals(-units(5), balance(tenant, disabled));
        assertEquals(1, stripe.intentsFor(card).size());
    }

    @Test
    void aRedeliveredBalanceLowEventNeverCausesASecondCharge() throws Exception {
        String tenant = TestApi.newTenant();
        String card = ref("pm_ok");
        addMethod(tenant, card, "default");
        String wallet = FundingSupport.autoRechargeWallet(tenant, units(15), units(10), units(20));
        forceDebit(TestApi.newKey(tenant, "pipeline"), wallet, units(6));
        assertTrue(Poll.until(20, () -> balance(tenant, wallet) == units(29)));

        Map<String, String> low = new RedisInspector(redis, keys).events(wallet).stream()
                .filter(e -> "balance.low".equals(e.get("type"))).findFirst().orElseThrow();
        String cloudEvent = OutboxEvent.fromStream("0-1", low).toCloudEvent();
        try (KafkaProducer<String, String> producer = new KafkaProducer<>(Map.of("bootstrap.servers", kafka.bootstrapServers(),
                "acks", "all"), new StringSerializer(), new StringSerializer())) {
            for (int i = 0; i < 3; i++) {
                producer.send(new ProducerRecord<>(config.kafka().topic(), wallet, cloudEvent)).get();
            }
        }
        // A marker crossing on another wallet after the redeliveries: once it is charged, they were handled.
        String marker = FundingSupport.autoRechargeWallet(tenant, units(15), units(10), units(20));
        forceDebit(TestApi.newKey(tenant, "pipeline"), marker, units(6));
        assertTrue(Poll.until(20, () -> balance(tenant, marker) == units(29)));
        Thread.sleep(1000); // the marker may sit on another partition: give a second charge time to show up

        assertEquals(2, stripe.chargesOf(card), "one charge per wallet");
        assertTrue(Poll.until(5, () -> topUpStates(tenant, wallet).equals(List.of("succeeded"))), "the row follows the credit");
        assertEquals(units(29), balance(tenant, wallet));
    }

    @Test
    void aTopUpLeftMidChargeByAPodThatDiedIsResumedWithoutASecondCharge() throws Exception {
        String tenant = TestApi.newTenant();
        String card = ref("pm_ok");
        String methodId = addMethod(tenant, card, "default");
        String wallet = TestApi.newWallet(tenant, "{\"currency\":\"USD\"}");
        // A pod created the charge, stored its id and died before confirming it; its lease has run out.
        String topUpId = "tu_dead_pod_" + System.nanoTime();
        var created = new PaymentProvider.ChargeRequest("tg_" + topUpId + "_1", 1500, "USD", card, null, topUpId);
        String intentId = createIntent(created);
        new Ledger(config).execute("""
                insert into top_up (id, tenant_id, wallet_id, kind, state, currency, amount_micros, payment_method_id, method_slot,
                    trigger_event_id, attempt, provider_payment_id, provider_status, lease_until, lease_token, next_attempt_at)
                values (?, ?, ?, 'auto', 'pending', 'USD', 15000000, ?, 'default', ?, 1, ?, 'requires_confirmation',
                    now() - interval '1 second', 'lease_of_a_dead_pod', now())""",
                topUpId, tenant, wallet, methodId, "evt_dead_pod_" + System.nanoTime(), intentId);

        assertTrue(Poll.until(20, () -> balance(tenant, wallet) == units(15)));
        assertTrue(Poll.until(5, () -> topUpStates(tenant, wallet).equals(List.of("succeeded"))), "the row follows the credit");
        assertEquals(1, stripe.chargesOf(card));
        assertEquals(1, stripe.intentsFor(card).size());
    }

    /** Creates the charge on the fake provider the way the dead pod did, through the same wire format. */
    private String createIntent(PaymentProvider.ChargeRequest request) throws Exception {
        var http = java.net.http.HttpClient.newHttpClient();
        String form = "amount=" + request.amountMinor() + "&currency=usd&payment_method=" + request.paymentMethodRef()
                + "&confirm=false&metadata%5Btollgate_top_up_id%5D=" + request.topUpId();
        var response = http.send(java.net.http.HttpRequest.newBuilder(java.net.URI.create(stripe.url() + "/v1/payment_intents"))
                .header("Authorization", "Bearer " + FakeStripe.API_KEY).header("Idempotency-Key", request.idempotencyKey())
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(java.net.http.HttpRequest.BodyPublishers.ofString(form)).build(), java.net.http.HttpResponse.BodyHandlers.ofString());
        assertEquals(200, response.statusCode(), response.body());
        return new io.vertx.core.json.JsonObject(response.body()).getString("id");
    }
}
