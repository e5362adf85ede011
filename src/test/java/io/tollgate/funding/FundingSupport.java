package io.tollgate.funding;

import static io.tollgate.support.TestApi.UNIT;
import static io.tollgate.support.TestApi.admin;

import io.restassured.path.json.JsonPath;
import io.tollgate.support.TestApi;
import java.util.List;
import java.util.UUID;

/** Tenants, cards and wallets for the funding tests, set up through the public API. */
final class FundingSupport {
    private FundingSupport() {
    }

    /**
     * A card reference the fake Stripe server treats by its prefix (pm_ok, pm_decline, pm_processing), unique per test.
     * The suffix is letters only: a hex UUID sometimes holds 12+ decimal digits that pass the Luhn check, and Tollgate rightly
     * refuses such a reference as a pasted card number (that made this suite fail about one run in ten).
     */
    static String ref(String prefix) {
        var letters = new StringBuilder(prefix).append('_');
        for (char hex : UUID.randomUUID().toString().replace("-", "").toCharArray()) {
            letters.append((char) ('a' + Character.digit(hex, 16)));
        }
        return letters.toString();
    }

    static String addMethod(String tenant, String providerRef, String role) {
        return admin(tenant).body("{\"providerRef\":\"" + providerRef + "\",\"brand\":\"visa\",\"last4\":\"4242\",\"expMonth\":12,"
                + "\"expYear\":2031,\"role\":\"" + role + "\"}").post("/v1/payment-methods").then().statusCode(201).extract().path("id");
    }

    /** A USD wallet with auto-recharge on (automation floor 0 so automated and manual traffic behave alike). */
    static String autoRechargeWallet(String tenant, long balanceMicros, long thresholdMicros, long amountMicros) {
        String wallet = TestApi.newWallet(tenant, "{\"currency\":\"USD\",\"automationFloorMicros\":0,\"autoRecharge\":{\"enabled\":true,"
                + "\"thresholdMicros\":" + thresholdMicros + ",\"amountMicros\":" + amountMicros + "}}");
        if (balanceMicros > 0) {
            TestApi.credit(tenant, wallet, balanceMicros).then().statusCode(200);
        }
        return wallet;
    }

    static void forceDebit(String pipelineKey, String wallet, long micros) {
        TestApi.debit(pipelineKey, wallet, "{\"amountMicros\":" + micros + ",\"origin\":\"automated\",\"direction\":\"outbound\",\"force\":true}")
                .then().statusCode(200);
    }

    static JsonPath topUps(String tenant, String wallet) {
        return admin(tenant).get("/v1/wallets/" + wallet + "/top-ups").then().statusCode(200).extract().jsonPath();
    }

    static List<String> topUpStates(String tenant, String wallet) {
        return topUps(tenant, wallet).getList("state");
    }

    static JsonPath wallet(String tenant, String wallet) {
        return admin(tenant).get("/v1/wallets/" + wallet).then().statusCode(200).extract().jsonPath();
    }

    static long units(long n) {
        return n * UNIT;
    }
}
