package io.tollgate.infra.http;

import static io.tollgate.support.TestApi.UNIT;
import static io.tollgate.support.TestApi.admin;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import io.quarkus.redis.datasource.RedisDataSource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;
import io.tollgate.infra.redis.Keys;
import io.tollgate.support.Poll;
import io.tollgate.support.TestApi;
import io.vertx.core.json.Json;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import jakarta.inject.Inject;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * One time format: every answer that carries an instant, across every feature, writes it as RFC 3339 UTC with
 * exactly three fraction digits, never as a number, and the instant answered is the instant stored.
 */
@QuarkusTest
class TimeFormatIT {
    static final Pattern RFC3339_MILLIS = Pattern.compile("\\d{4}-\\d{2}-\\d{2}T\\d{2}:\\d{2}:\\d{2}\\.\\d{3}Z");

    @Inject
    RedisDataSource redis;
    @Inject
    Keys keys;

    @Test
    void everyAnswerThatCarriesATimeUsesTheOneFormat() throws Exception {
        List<String> checked = new ArrayList<>();
        String tenant = check(checked, TestApi.as(TestApi.ADMIN_KEY).body("{\"name\":\"times\"}").post("/v1/tenants"), 201).getString("id");
        check(checked, TestApi.as(TestApi.ADMIN_KEY).get("/v1/tenants/" + tenant), 200);
        String keyId = check(checked, admin(tenant).body("{\"role\":\"viewer\"}").post("/v1/api-keys"), 201).getString("id");
        check(checked, admin(tenant).delete("/v1/api-keys/" + keyId), 200);
        check(checked, admin(tenant).get("/v1/api-keys"), 200);
        String wallet = check(checked, admin(tenant).body("{\"currency\":\"USD\",\"automationFloorMicros\":0}").post("/v1/wallets"), 201)
                .getString("id");
        check(checked, admin(tenant).body("{\"name\":\"renamed\"}").patch("/v1/wallets/" + wallet), 200);
        check(checked, admin(tenant).get("/v1/wallets/" + wallet), 200);
        check(checked, admin(tenant).get("/v1/wallets"), 200);
        check(checked, admin(tenant).get("/v1/wallets/" + wallet + "/balance"), 200);
        check(checked, admin(tenant).body("{\"items\":{\"sms\":{\"unitPriceMicros\":7500}}}").put("/v1/rate-cards/USD"), 200);
        check(checked, admin(tenant).get("/v1/rate-cards/USD"), 200);
        check(checked, admin(tenant).body("{\"item\":\"sms\"}").post("/v1/wallets/" + wallet + "/debit-checks"), 200);
        check(checked, admin(tenant).body("{\"url\":\"http://127.0.0.1:9/hook\"}").post("/v1/webhook-endpoints"), 201);
        check(checked, admin(tenant).get("/v1/webhook-endpoints"), 200);

        String method = admin(tenant).body("{\"providerRef\":\"" + card() + "\",\"brand\":\"visa\",\"last4\":\"4242\",\"expMonth\":12,"
                + "\"expYear\":2031,\"role\":\"default\"}").post("/v1/payment-methods").then().statusCode(201).extract().path("id");
        assertFalse(method.isEmpty());
        String quote = check(checked, admin(tenant).body("{\"amountMicros\":" + 10 * UNIT + "}").post("/v1/wallets/" + wallet + "/top-up-quotes"), 201)
                .getString("id");
        JsonObject created = check(checked, admin(tenant).header("Idempotency-Key", UUID.randomUUID().toString())
                .body("{\"quoteId\":\"" + quote + "\"}").post("/v1/wallets/" + wallet + "/top-ups"), 202);
        String topUp = created.getString("id");
        JsonObject[] read = new JsonObject[1];
        assertTrue(Poll.until(20, () -> {
            read[0] = check(checked, admin(tenant).get("/v1/wallets/" + wallet + "/top-ups/" + topUp), 200);
            return "succeeded".equals(read[0].getString("state"));
        }), "the top-up settles");
        assertEquals(created.getString("createdAt"), read[0].getString("createdAt"), "the POST and the GET answer the stored instant");
        assertTrue(read[0].getString("settledAt") != null, "settled top-ups carry settledAt");
        check(checked, admin(tenant).get("/v1/wallets/" + wallet + "/top-ups"), 200);
        check(checked, admin(tenant).get("/v1/alert-deliveries"), 200);

        // the wallet's createdAt is the instant Redis holds, to the millisecond
        String stored = redis.hash(String.class).hget(keys.wallet(wallet), "created");
        String answered = admin(tenant).get("/v1/wallets/" + wallet).then().extract().path("createdAt");
        assertEquals(Instant.ofEpochMilli(Long.parseLong(stored)), Instant.parse(answered));
        assertTrue(checked.size() >= 15, "time fields checked: " + checked);
    }

    private static String card() {
        StringBuilder letters = new StringBuilder("pm_ok_");
        for (char hex : UUID.randomUUID().toString().replace("-", "").toCharArray()) {
            letters.append((char) ('a' + Character.digit(hex, 16)));
        }
        return letters.toString();
    }

    /** Asserts the status and every time field of the answer; collects the paths checked. Answers an object or a list's first item. */
    private static JsonObject check(List<String> checked, Response response, int status) {
        response.then().statusCode(status);
        Object body = Json.decodeValue(response.asString());
        walk(checked, "", body);
        if (body instanceof JsonArray list) {
            return list.isEmpty() ? new JsonObject() : list.getJsonObject(0);
        }
        return (JsonObject) body;
    }

    private static void walk(List<String> checked, String path, Object node) {
        if (node instanceof JsonObject object) {
            for (String field : object.fieldNames()) {
                Object value = object.getValue(field);
                String at = path + "." + field;
                if (field.endsWith("Millis") || field.endsWith("AtMs")) {
                    fail(at + " is a number of milliseconds: answers carry RFC 3339 instants");
                }
                if ((field.endsWith("At") || field.equals("asOf")) && value != null) {
                    if (!(value instanceof String text) || !RFC3339_MILLIS.matcher(text).matches()) {
                        fail(at + " = " + value + " is not RFC 3339 UTC with three fraction digits");
                    }
                    checked.add(at);
                }
                walk(checked, at, value);
            }
        } else if (node instanceof JsonArray array) {
            for (int i = 0; i < array.size(); i++) {
                walk(checked, path + "[" + i + "]", array.getValue(i));
            }
        }
    }
}
