package io.tollgate.debit;

import static io.tollgate.support.TestApi.UNIT;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.nullValue;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.quarkus.redis.datasource.RedisDataSource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import io.restassured.response.Response;
import io.tollgate.infra.redis.Keys;
import io.tollgate.support.RedisInspector;
import io.tollgate.support.TestApi;
import jakarta.inject.Inject;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * What a debit answer tells a pipeline: the price applied (and the same on a replay), the affordability check that
 * takes no money and decides as a debit would, and the balance read a pipeline key may make.
 */
@QuarkusTest
class DebitAnswersIT {
    static final String CARD = "{\"items\":{\"sms\":{\"unitPriceMicros\":7500,\"inboundUnitPriceMicros\":1000,\"countries\":{\"DE\":79000}},"
            + "\"voice.minute\":{\"unitPriceMicros\":12000}}}";

    @Inject
    RedisDataSource redis;
    @Inject
    Keys keys;

    String tenant;
    String pipeline;

    @BeforeEach
    void tenant() {
        tenant = TestApi.newTenant();
        pipeline = TestApi.newKey(tenant, "pipeline");
        TestApi.admin(tenant).body(CARD).put("/v1/rate-cards/USD").then().statusCode(200);
    }

    @Test
    void aDebitByItemAnswersThePriceAppliedAndAReplayAnswersTheSame() {
        String wallet = TestApi.fundedWallet(tenant, 10 * UNIT, 0, 0);
        Response first = TestApi.debit(pipeline, wallet, "k-de", "{\"item\":\"sms\",\"quantity\":2,\"destinationCountry\":\"DE\"}");
        first.then().statusCode(200).header("Idempotent-Replayed", "false").body("decision", equalTo("approved"))
                .body("currency", equalTo("USD")).body("amountMicros", TestApi.micros(158_000))
                .body("price.item", equalTo("sms")).body("price.quantity", TestApi.micros(2))
                .body("price.unitPriceMicros", TestApi.micros(79_000)).body("price.destinationCountry", equalTo("DE"))
                .body("price.basis", equalTo("destination"));
        // the card changes; the replay still answers the price the debit was taken at, byte for byte
        TestApi.admin(tenant).body("{\"items\":{\"sms\":{\"unitPriceMicros\":1}}}").put("/v1/rate-cards/USD").then().statusCode(200);
        Response replay = TestApi.debit(pipeline, wallet, "k-de", "{\"item\":\"sms\",\"quantity\":2,\"destinationCountry\":\"DE\"}");
        replay.then().statusCode(200).header("Idempotent-Replayed", "true");
        assertEquals(first.asString(), replay.asString());

        TestApi.debit(pipeline, wallet, "{\"item\":\"sms\",\"destinationCountry\":\"FR\"}").then()
                .body("price.basis", equalTo("item")).body("price.unitPriceMicros", TestApi.micros(1))
                .body("price.destinationCountry", equalTo("FR"));
        TestApi.debit(pipeline, wallet, "{\"amountMicros\":5000}").then().body("currency", equalTo("USD")).body("price", nullValue());
        Map<String, Object> event = new io.vertx.core.json.JsonObject(new RedisInspector(redis, keys).events(wallet).stream()
                .filter(e -> "debit.approved".equals(e.get("type"))).findFirst().orElseThrow().get("data")).getMap();
        assertEquals(79_000, ((Number) event.get("unitPriceMicros")).intValue(), "the event carries the unit price for the ledger");
        assertEquals("destination", event.get("priceBasis"));
    }

    @Test
    void inboundAndBatchDebitsAnswerTheirPriceToo() {
        String wallet = TestApi.fundedWallet(tenant, UNIT, 0, 0);
        TestApi.debit(pipeline, wallet, "{\"item\":\"sms\",\"quantity\":3,\"direction\":\"inbound\"}").then()
                .body("price.basis", equalTo("inbound")).body("price.unitPriceMicros", TestApi.micros(1000))
                .body("amountMicros", TestApi.micros(3000));
        TestApi.as(pipeline).body("{\"items\":[{\"walletId\":\"" + wallet + "\",\"idempotencyKey\":\"b-1\",\"item\":\"voice.minute\","
                + "\"quantity\":5},{\"walletId\":\"" + wallet + "\",\"idempotencyKey\":\"b-2\",\"amountMicros\":1}]}")
                .post("/v1/debit-batches").then().statusCode(200)
                .body("results[0].result.price.unitPriceMicros", TestApi.micros(12_000))
                .body("results[0].result.price.basis", equalTo("item")).body("results[0].result.currency", equalTo("USD"))
                .body("results[1].result.price", nullValue()).body("results[1].result.currency", equalTo("USD"));
    }

    /** The check answers what the debit then decides, for every rule; and it takes nothing. */
    @Test
    void theAffordabilityCheckDecidesAsTheDebitWouldAndTakesNothing() {
        String suspended = TestApi.fundedWallet(tenant, 10 * UNIT, 0, 0);
        TestApi.admin(tenant).body("{\"status\":\"suspended\"}").patch("/v1/wallets/" + suspended).then().statusCode(200);
        String recharging = TestApi.newWallet(tenant, "{\"currency\":\"USD\",\"automationFloorMicros\":" + 5 * UNIT
                + ",\"autoRecharge\":{\"enabled\":true,\"thresholdMicros\":1,\"amountMicros\":" + 10 * UNIT + "}}");
        TestApi.credit(tenant, recharging, 2 * UNIT).then().statusCode(200);
        List<String[]> cases = List.of(
                new String[] {"automation floor", "19985000|0|5000000", "{\"amountMicros\":16000000}"},
                new String[] {"manual past the automation floor", "19985000|0|5000000", "{\"amountMicros\":16000000,\"origin\":\"manual\"}"},
                new String[] {"below the floor", "1000000|0|0", "{\"item\":\"sms\",\"quantity\":134}"},
                new String[] {"exactly to the floor", "1005000|0|0", "{\"item\":\"sms\",\"quantity\":134}"},
                new String[] {"credit limit", "0|-3000000|-3000000", "{\"item\":\"voice.minute\",\"quantity\":250}"},
                new String[] {"forced", "0|0|0", "{\"amountMicros\":5000000,\"force\":true}"},
                new String[] {"inbound", "0|0|0", "{\"item\":\"sms\",\"quantity\":4,\"direction\":\"inbound\"}"},
                new String[] {"destination", "100000|0|0", "{\"item\":\"sms\",\"quantity\":2,\"destinationCountry\":\"DE\"}"});
        for (String[] c : cases) {
            String[] w = c[1].split("\\|");
            String wallet = TestApi.fundedWallet(tenant, Long.parseLong(w[0]), Long.parseLong(w[1]), Long.parseLong(w[2]));
            assertCheckMatchesDebit(c[0], wallet, c[2]);
        }
        assertCheckMatchesDebit("suspended", suspended, "{\"amountMicros\":1}");
        assertCheckMatchesDebit("auto-recharge lifts the automation floor", recharging, "{\"amountMicros\":1500000}");
    }

    private void assertCheckMatchesDebit(String name, String wallet, String body) {
        long eventsBefore = new RedisInspector(redis, keys).events(wallet).size();
        JsonPath check = TestApi.as(pipeline).body(body).post("/v1/wallets/" + wallet + "/debit-checks")
                .then().statusCode(200).extract().jsonPath();
        assertEquals(eventsBefore, new RedisInspector(redis, keys).events(wallet).size(), name + ": the check wrote nothing");
        JsonPath debit = TestApi.debit(pipeline, wallet, body).then().statusCode(200).extract().jsonPath();
        for (String field : List.of("decision", "reason", "message", "amountMicros", "currency", "floorMicros", "shortfallMicros",
                "price.unitPriceMicros", "price.basis")) {
            assertEquals(String.valueOf((Object) debit.get(field)), String.valueOf((Object) check.get(field)), name + ": " + field);
        }
        long after = check.getLong("balanceAfterMicros");
        if ("approved".equals(debit.getString("decision"))) {
            assertEquals(debit.getLong("balanceAfterMicros"), after, name + ": balance after");
        }
    }

    @Test
    void aCampaignCheckSaysHowManyUnitsTheBalancePaysFor() {
        String wallet = TestApi.fundedWallet(tenant, UNIT, 0, 0);
        TestApi.as(pipeline).body("{\"item\":\"sms\",\"quantity\":1000}").post("/v1/wallets/" + wallet + "/debit-checks").then()
                .statusCode(200).body("decision", equalTo("declined")).body("amountMicros", TestApi.micros(7_500_000))
                .body("affordableQuantity", TestApi.micros(133)).body("shortfallMicros", TestApi.micros(6_500_000))
                .body("balanceMicros", TestApi.micros(UNIT)).body("asOf", org.hamcrest.Matchers.matchesPattern(TIME));
        TestApi.debit(pipeline, wallet, "{\"item\":\"sms\",\"quantity\":134}").then().body("decision", equalTo("declined"));
        TestApi.debit(pipeline, wallet, "{\"item\":\"sms\",\"quantity\":133}").then().body("decision", equalTo("approved"));
        TestApi.as(pipeline).body("{\"item\":\"sms\",\"quantity\":1,\"destinationCountry\":\"DE\"}")
                .post("/v1/wallets/" + wallet + "/debit-checks").then().body("affordableQuantity", TestApi.micros(0))
                .body("decision", equalTo("declined"));
    }

    static final String TIME = "\\d{4}-\\d{2}-\\d{2}T\\d{2}:\\d{2}:\\d{2}\\.\\d{3}Z";

    @Test
    void aBadCheckIsAClearProblemAndChangesNothing() {
        String wallet = TestApi.fundedWallet(tenant, UNIT, 0, 0);
        String other = TestApi.newTenant();
        String theirs = TestApi.fundedWallet(other, UNIT, 0, 0);
        Map<String, String[]> bad = new java.util.LinkedHashMap<>();
        bad.put("{\"item\":\"fax\"}", new String[] {"422", "unknown-item"});
        bad.put("{\"item\":\"sms\",\"quantity\":0}", new String[] {"400", "invalid-request"});
        bad.put("{\"item\":\"sms\",\"quantity\":1000001}", new String[] {"400", "invalid-request"});
        bad.put("{\"item\":\"sms\",\"quantity\":99999999999999999999}", new String[] {"400", "invalid-request"});
        bad.put("{\"item\":\"sms\",\"amountMicros\":5}", new String[] {"400", "invalid-request"});
        bad.put("{\"amountMicros\":5,\"currency\":\"EUR\"}", new String[] {"422", "currency-mismatch"});
        bad.put("{\"item\":\"sms\",\"destinationCountry\":\"XX\"}", new String[] {"400", "invalid-request"});
        bad.put("", new String[] {"400", "invalid-request"});
        long events = new RedisInspector(redis, keys).events(wallet).size();
        bad.forEach((body, expected) -> TestApi.as(pipeline).body(body).post("/v1/wallets/" + wallet + "/debit-checks").then()
                .statusCode(Integer.parseInt(expected[0])).contentType("application/problem+json")
                .body("type", equalTo("https://tollgate.dev/problems/" + expected[1])));
        TestApi.as(pipeline).body("{\"amountMicros\":5}").post("/v1/wallets/" + theirs + "/debit-checks").then().statusCode(404)
                .body("type", equalTo("https://tollgate.dev/problems/wallet-not-found"));
        assertEquals(events, new RedisInspector(redis, keys).events(wallet).size());
        assertEquals(UNIT, TestApi.balance(tenant, wallet));
        assertEquals(UNIT, TestApi.balance(other, theirs));
    }

    @Test
    void aPipelineKeyReadsTheBalancesItDebitsButNotTheSettings() {
        String wallet = TestApi.fundedWallet(tenant, 7 * UNIT, -UNIT, 5 * UNIT);
        TestApi.as(pipeline).get("/v1/wallets/" + wallet + "/balance").then().statusCode(200)
                .body("walletId", equalTo(wallet)).body("currency", equalTo("USD")).body("balanceMicros", TestApi.micros(7 * UNIT))
                .body("availableMicros", TestApi.micros(8 * UNIT)).body("automatedAvailableMicros", TestApi.micros(2 * UNIT))
                .body("status", equalTo("active")).body("seq", TestApi.micros(2)).body("asOf", org.hamcrest.Matchers.matchesPattern(TIME));
        TestApi.as(pipeline).get("/v1/wallets/" + wallet).then().statusCode(403)
                .body("detail", equalTo("this operation needs a viewer, owner or admin key; this key is a pipeline key"));
        String theirs = TestApi.fundedWallet(TestApi.newTenant(), UNIT, 0, 0);
        TestApi.as(pipeline).get("/v1/wallets/" + theirs + "/balance").then().statusCode(404)
                .body("type", equalTo("https://tollgate.dev/problems/wallet-not-found"));
        String viewer = TestApi.newKey(tenant, "viewer");
        TestApi.as(viewer).get("/v1/wallets/" + wallet + "/balance").then().statusCode(200);
        TestApi.debit(viewer, wallet, "{\"amountMicros\":1}").then().statusCode(403)
                .body("detail", equalTo("this operation needs a pipeline or admin key; this key is a viewer key"));
        TestApi.as(viewer).body("{\"role\":\"owner\"}").post("/v1/api-keys").then().statusCode(403)
                .body("detail", equalTo("this operation needs an owner or admin key; this key is a viewer key"));
    }
}
