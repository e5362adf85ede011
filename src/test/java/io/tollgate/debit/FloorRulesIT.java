package io.tollgate.debit;

import static io.tollgate.support.TestApi.UNIT;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.quarkus.redis.datasource.RedisDataSource;
import io.quarkus.test.junit.QuarkusTest;
import io.tollgate.infra.redis.Keys;
import io.tollgate.support.RedisInspector;
import io.tollgate.support.TestApi;
import jakarta.inject.Inject;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The rules the hot path enforces: floor, automation floor, inbound, force, suspension, low/depleted flags. */
@QuarkusTest
class FloorRulesIT {
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
    }

    void debit(String wallet, String json, String decision, long balanceAfter) {
        TestApi.debit(pipeline, wallet, json).then().statusCode(200)
                .body("decision", equalTo(decision)).body("balanceAfterMicros", TestApi.micros(balanceAfter));
    }

    @Test
    void manualTrafficMayGoDownToTheFloorAndNoFurther() {
        String wallet = TestApi.fundedWallet(tenant, 10 * UNIT, 0, 5 * UNIT);
        debit(wallet, "{\"amountMicros\":" + 10 * UNIT + ",\"origin\":\"manual\"}", "approved", 0);
        TestApi.debit(pipeline, wallet, "{\"amountMicros\":1,\"origin\":\"manual\"}").then().statusCode(200)
                .body("decision", equalTo("declined")).body("reason", equalTo("insufficient_funds"))
                .body("message", equalTo("A debit of 0.000001 USD would leave -0.000001 USD of the 0 USD balance, below the"
                        + " wallet's floor of 0 USD. Top up the balance or enable auto-recharge."))
                .body("floorMicros", TestApi.micros(0)).body("shortfallMicros", TestApi.micros(1)).body("debitId", equalTo(null));
        assertEquals(0, TestApi.balance(tenant, wallet));
    }

    @Test
    void automatedTrafficStopsAtTheAutomationFloorUnlessAutoRechargeIsOn() {
        String wallet = TestApi.fundedWallet(tenant, 10 * UNIT, 0, 5 * UNIT);
        debit(wallet, "{\"amountMicros\":" + 5 * UNIT + ",\"origin\":\"automated\"}", "approved", 5 * UNIT);
        TestApi.debit(pipeline, wallet, "{\"amountMicros\":1}").then().statusCode(200)
                .body("decision", equalTo("declined")).body("reason", equalTo("automation_floor"));
        debit(wallet, "{\"amountMicros\":" + UNIT + ",\"origin\":\"manual\"}", "approved", 4 * UNIT);

        TestApi.admin(tenant).body("{\"autoRecharge\":{\"enabled\":true,\"thresholdMicros\":" + 2 * UNIT + ",\"amountMicros\":"
                + 20 * UNIT + "}}").patch("/v1/wallets/" + wallet).then().statusCode(200);
        debit(wallet, "{\"amountMicros\":" + 4 * UNIT + "}", "approved", 0);
    }

    @Test
    void aDeclineSaysWhatWasCheckedWithTheNumbers() {
        String wallet = TestApi.fundedWallet(tenant, 19_985_000, 0, 5 * UNIT);
        TestApi.debit(pipeline, wallet, "{\"amountMicros\":" + 16 * UNIT + "}").then().statusCode(200)
                .body("decision", equalTo("declined")).body("reason", equalTo("automation_floor")).body("currency", equalTo("USD"))
                .body("message", equalTo("An automated debit of 16 USD would leave 3.985 USD of the 19.985 USD balance, below the"
                        + " automation floor of 5 USD. Top up the balance or enable auto-recharge; manual debits may still go down"
                        + " to the wallet's floor."))
                .body("floorMicros", TestApi.micros(5 * UNIT)).body("shortfallMicros", TestApi.micros(1_015_000))
                .body("balanceAfterMicros", TestApi.micros(19_985_000));
        TestApi.admin(tenant).body("{\"status\":\"suspended\"}").patch("/v1/wallets/" + wallet).then().statusCode(200);
        TestApi.debit(pipeline, wallet, "{\"amountMicros\":1}").then().statusCode(200).body("reason", equalTo("wallet_suspended"))
                .body("message", equalTo("The wallet is suspended: outbound debits are paused until an owner reactivates it."))
                .body("floorMicros", equalTo(null)).body("shortfallMicros", equalTo(null));
    }

    @Test
    void aNegativeFloorIsACreditLimit() {
        String wallet = TestApi.fundedWallet(tenant, UNIT, -3 * UNIT, -3 * UNIT);
        debit(wallet, "{\"amountMicros\":" + 4 * UNIT + "}", "approved", -3 * UNIT);
        TestApi.debit(pipeline, wallet, "{\"amountMicros\":1,\"origin\":\"manual\"}").then().body("reason", equalTo("insufficient_funds"));
    }

    @Test
    void forcedUsageMayTakeTheBalanceBelowTheFloor() {
        String wallet = TestApi.fundedWallet(tenant, UNIT, 0, 0);
        TestApi.debit(pipeline, wallet, "{\"amountMicros\":" + 3 * UNIT + ",\"origin\":\"manual\"}").then().body("decision", equalTo("declined"));
        debit(wallet, "{\"amountMicros\":" + 3 * UNIT + ",\"force\":true}", "approved", -2 * UNIT);
        assertEquals(-2 * UNIT, TestApi.balance(tenant, wallet));
    }

    @Test
    void inboundIsNeverBlockedAndPricedInboundIsRecordedAsForcedUsage() {
        String wallet = TestApi.fundedWallet(tenant, 0, 0, 0);
        TestApi.admin(tenant).body("{\"items\":{\"voice.minute\":{\"unitPriceMicros\":12000,\"inboundUnitPriceMicros\":3000},"
                + "\"sms\":{\"unitPriceMicros\":7500}}}").put("/v1/rate-cards/USD").then().statusCode(200);
        TestApi.admin(tenant).body("{\"status\":\"suspended\"}").patch("/v1/wallets/" + wallet).then().statusCode(200);

        debit(wallet, "{\"item\":\"voice.minute\",\"quantity\":2,\"direction\":\"inbound\"}", "approved", -6000);
        TestApi.debit(pipeline, wallet, "{\"item\":\"sms\",\"direction\":\"inbound\"}").then().statusCode(200)
                .body("decision", equalTo("approved")).body("amountMicros", TestApi.micros(0))
                .body("debitId", org.hamcrest.Matchers.startsWith("db_")).body("balanceAfterMicros", TestApi.micros(-6000));

        List<Map<String, String>> debits = new RedisInspector(redis, keys).events(wallet).stream()
                .filter(e -> "debit.approved".equals(e.get("type"))).toList();
        assertEquals(2, debits.size(), "free inbound moves no money but is usage: it is recorded, with 0 micros");
        assertEquals("6000", debits.get(0).get("amt"));
        assertEquals("0", debits.get(1).get("amt"));
        assertEquals(true, new io.vertx.core.json.JsonObject(debits.get(0).get("data")).getBoolean("forced"));
    }

    @Test
    void aSuspendedWalletDeclinesOutboundUntilReactivated() {
        String wallet = TestApi.fundedWallet(tenant, 10 * UNIT, 0, 0);
        TestApi.admin(tenant).body("{\"status\":\"suspended\"}").patch("/v1/wallets/" + wallet).then().statusCode(200)
                .body("status", equalTo("suspended"));
        TestApi.debit(pipeline, wallet, "{\"amountMicros\":1,\"origin\":\"manual\"}").then().statusCode(200)
                .body("decision", equalTo("declined")).body("reason", equalTo("wallet_suspended"));
        debit(wallet, "{\"amountMicros\":" + UNIT + ",\"force\":true}", "approved", 9 * UNIT);
        TestApi.admin(tenant).body("{\"status\":\"active\"}").patch("/v1/wallets/" + wallet).then().statusCode(200);
        debit(wallet, "{\"amountMicros\":" + UNIT + "}", "approved", 8 * UNIT);

        List<String> types = new RedisInspector(redis, keys).events(wallet).stream().map(e -> e.get("type")).toList();
        assertEquals(List.of("wallet.created", "wallet.credited", "wallet.updated", "wallet.suspended", "debit.approved",
                "wallet.updated", "wallet.activated", "debit.approved"), types);
    }

    @Test
    void lowAndDepletedAreEmittedOncePerCrossingAndReArmedByFunds() {
        String wallet = TestApi.newWallet(tenant, "{\"currency\":\"USD\",\"automationFloorMicros\":0,"
                + "\"autoRecharge\":{\"enabled\":true,\"thresholdMicros\":" + 10 * UNIT + ",\"amountMicros\":" + 20 * UNIT + "}}");
        TestApi.credit(tenant, wallet, 12 * UNIT).then().statusCode(200);
        debit(wallet, "{\"amountMicros\":" + 3 * UNIT + "}", "approved", 9 * UNIT);   // crosses 10: low
        debit(wallet, "{\"amountMicros\":" + UNIT + "}", "approved", 8 * UNIT);       // still low: nothing new
        TestApi.credit(tenant, wallet, 20 * UNIT).then().statusCode(200);              // 28: re-armed
        debit(wallet, "{\"amountMicros\":" + 19 * UNIT + "}", "approved", 9 * UNIT);  // crosses again: low
        debit(wallet, "{\"amountMicros\":" + 9 * UNIT + "}", "approved", 0);          // zero: depleted
        debit(wallet, "{\"amountMicros\":" + UNIT + ",\"force\":true}", "approved", -UNIT); // still depleted

        List<Map<String, String>> events = new RedisInspector(redis, keys).events(wallet);
        assertEquals(2, events.stream().filter(e -> "balance.low".equals(e.get("type"))).count(), "low once per crossing");
        assertEquals(1, events.stream().filter(e -> "balance.depleted".equals(e.get("type"))).count(), "depleted once");
        Map<String, String> firstLow = events.stream().filter(e -> "balance.low".equals(e.get("type"))).findFirst().orElseThrow();
        assertEquals(String.valueOf(9 * UNIT), firstLow.get("bal"));
        TestApi.admin(tenant).get("/v1/wallets/" + wallet).then().body("autoRecharge.triggered", equalTo(true))
                .body("depleted", equalTo(true));
        TestApi.credit(tenant, wallet, 30 * UNIT).then().statusCode(200);              // 29: above the threshold again
        TestApi.admin(tenant).get("/v1/wallets/" + wallet).then().body("autoRecharge.triggered", equalTo(false))
                .body("depleted", equalTo(false));
    }
}
