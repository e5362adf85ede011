package io.tollgate.pricing;

import static io.tollgate.support.TestApi.UNIT;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.quarkus.redis.datasource.RedisDataSource;
import io.quarkus.test.junit.QuarkusTest;
import io.tollgate.infra.redis.Keys;
import io.tollgate.support.TestApi;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Test;

/** Tenants see their cost per item; every pod prices with a change within 5 seconds. */
@QuarkusTest
class RateCardIT {
    static final String CARD = "{\"items\":{\"sms\":{\"unitPriceMicros\":7500,\"countries\":{\"GB\":40000}},"
            + "\"whatsapp.marketing\":{\"unitPriceMicros\":25000},\"voice.minute\":{\"unitPriceMicros\":12000,\"inboundUnitPriceMicros\":3000}}}";

    @Inject
    RedisDataSource redis;
    @Inject
    Keys keys;

    @Test
    void ownersSetAndEveryRoleReadsTheCostPerItem() {
        String tenant = TestApi.newTenant();
        String owner = TestApi.newKey(tenant, "owner");
        String viewer = TestApi.newKey(tenant, "viewer");
        TestApi.as(owner).body(CARD).put("/v1/rate-cards/USD").then().statusCode(200).body("currency", equalTo("USD"));
        TestApi.as(viewer).get("/v1/rate-cards/USD").then().statusCode(200)
                .body("items.sms.unitPriceMicros", equalTo(7500)).body("items.sms.countries.GB", equalTo(40000))
                .body("items.'whatsapp.marketing'.unitPriceMicros", equalTo(25000));
        TestApi.as(viewer).body(CARD).put("/v1/rate-cards/USD").then().statusCode(403);
        TestApi.as(viewer).get("/v1/rate-cards/EUR").then().statusCode(404);
        TestApi.as(TestApi.newKey(TestApi.newTenant(), "viewer")).get("/v1/rate-cards/USD").then().statusCode(404);
    }

    @Test
    void debitsArePricedByItemCountryAndQuantity() {
        String tenant = TestApi.newTenant();
        String pipeline = TestApi.newKey(tenant, "pipeline");
        String wallet = TestApi.fundedWallet(tenant, 10 * UNIT, 0, 0);
        TestApi.admin(tenant).body(CARD).put("/v1/rate-cards/USD").then().statusCode(200);
        TestApi.debit(pipeline, wallet, "{\"item\":\"sms\",\"quantity\":3}").then().body("amountMicros", TestApi.micros(22500));
        TestApi.debit(pipeline, wallet, "{\"item\":\"sms\",\"destinationCountry\":\"GB\"}").then().body("amountMicros", TestApi.micros(40000));
        TestApi.debit(pipeline, wallet, "{\"item\":\"sms\",\"destinationCountry\":\"FR\"}").then().body("amountMicros", TestApi.micros(7500));
        TestApi.debit(pipeline, wallet, "{\"item\":\"voice.minute\",\"quantity\":10}").then().body("amountMicros", TestApi.micros(120000));
        TestApi.debit(pipeline, wallet, "{\"item\":\"whatsapp.utility\"}").then().statusCode(422);
    }

    @Test
    void aChangeMadeOnAnotherPodIsPricedWithinFiveSeconds() throws Exception {
        String tenant = TestApi.newTenant();
        String pipeline = TestApi.newKey(tenant, "pipeline");
        String wallet = TestApi.fundedWallet(tenant, 10 * UNIT, 0, 0);
        TestApi.admin(tenant).body(CARD).put("/v1/rate-cards/USD").then().statusCode(200);
        TestApi.debit(pipeline, wallet, "{\"item\":\"sms\"}").then().body("amountMicros", TestApi.micros(7500));

        long start = System.nanoTime();
        redis.value(String.class).set(keys.rateCard(tenant, "USD"),
                "{\"currency\":\"USD\",\"items\":{\"sms\":{\"unitPriceMicros\":9000}},\"updatedAt\":\"2026-12-03T10:00:00.000Z\"}");
        double seconds = Double.MAX_VALUE;
        while (System.nanoTime() - start < 8_000_000_000L) {
            long amount = TestApi.debit(pipeline, wallet, "{\"item\":\"sms\"}").then().extract().jsonPath().getLong("amountMicros");
            if (amount == 9000) {
                seconds = (System.nanoTime() - start) / 1e9;
                break;
            }
            Thread.sleep(100);
        }
        assertTrue(seconds <= 5.0, "new price after " + seconds + " s");
    }

    @Test
    void invalidCardsAreRejected() {
        String tenant = TestApi.newTenant();
        for (String bad : new String[] {"{\"items\":{}}", "{\"items\":{\"SMS!\":{\"unitPriceMicros\":1}}}",
                "{\"items\":{\"sms\":{\"unitPriceMicros\":0}}}", "{\"items\":{\"sms\":{\"unitPriceMicros\":1.5}}}",
                "{\"items\":{\"sms\":{\"unitPriceMicros\":5,\"countries\":{\"XX\":5}}}}", "{\"items\":{\"sms\":{}}}",
                "{\"items\":{\"sms\":{\"unitPriceMicros\":5}},\"currency\":\"EUR\"}"}) {
            TestApi.admin(tenant).body(bad).put("/v1/rate-cards/USD").then().statusCode(400).contentType("application/problem+json");
        }
        TestApi.admin(tenant).body(CARD).put("/v1/rate-cards/US1").then().statusCode(400);
        TestApi.admin(tenant).get("/v1/rate-cards/USD").then().statusCode(404);
    }
}
