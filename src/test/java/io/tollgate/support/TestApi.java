package io.tollgate.support;

import static io.restassured.RestAssured.given;

import io.restassured.http.ContentType;
import io.restassured.response.Response;
import io.restassured.specification.RequestSpecification;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

/** Drives Tollgate through its public HTTP API, as a tenant's systems would. */
public final class TestApi {
    public static final String ADMIN_KEY = "test-admin-key";
    public static final long UNIT = 1_000_000L;

    private TestApi() {
    }

    /** Matches a JSON number by value, whether it was parsed as an Integer or a Long. */
    public static org.hamcrest.Matcher<Object> micros(long value) {
        return org.hamcrest.Matchers.hasToString(String.valueOf(value));
    }

    public static RequestSpecification as(String key) {
        return given().header("Authorization", "Bearer " + key).contentType(ContentType.JSON);
    }

    public static RequestSpecification admin(String tenantId) {
        return as(ADMIN_KEY).header("Tollgate-Tenant", tenantId);
    }

    public static String newTenant() {
        return as(ADMIN_KEY).body("{\"name\":\"tenant " + UUID.randomUUID() + "\"}").post("/v1/tenants")
                .then().statusCode(201).extract().path("id");
    }

    public static String newKey(String tenantId, String role) {
        return admin(tenantId).body("{\"role\":\"" + role + "\"}").post("/v1/api-keys")
                .then().statusCode(201).extract().path("secret");
    }

    public static String newWallet(String tenantId, String json) {
        return admin(tenantId).body(json).post("/v1/wallets").then().statusCode(201).extract().path("id");
    }

    /** A USD wallet holding {@code micros}, with floor and automation floor as given. */
    public static String fundedWallet(String tenantId, long micros, long floorMicros, long automationFloorMicros) {
        String wallet = newWallet(tenantId, "{\"currency\":\"USD\",\"floorMicros\":" + floorMicros
                + ",\"automationFloorMicros\":" + automationFloorMicros + "}");
        if (micros > 0) {
            credit(tenantId, wallet, micros);
        }
        return wallet;
    }

    /** {@code count} USD wallets holding {@code micros} each, floors 0: the shape the concurrency tests load. */
    public static List<String> fundedWallets(String tenantId, int count, long micros) {
        List<String> wallets = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            wallets.add(fundedWallet(tenantId, micros, 0, 0));
        }
        return wallets;
    }

    public static Response credit(String tenantId, String walletId, long micros) {
        return admin(tenantId).header("Idempotency-Key", UUID.randomUUID().toString())
                .body("{\"amountMicros\":" + micros + ",\"reason\":\"test\",\"category\":\"support\"}")
                .post("/v1/wallets/" + walletId + "/credits");
    }

    public static Response debit(String pipelineKey, String walletId, String idempotencyKey, String json) {
        RequestSpecification spec = as(pipelineKey);
        if (idempotencyKey != null) {
            spec = spec.header("Idempotency-Key", idempotencyKey);
        }
        return spec.body(json).post("/v1/wallets/" + walletId + "/debits");
    }

    public static Response debit(String pipelineKey, String walletId, String json) {
        return debit(pipelineKey, walletId, UUID.randomUUID().toString(), json);
    }

    public static long balance(String tenantId, String walletId) {
        return admin(tenantId).get("/v1/wallets/" + walletId).then().statusCode(200).extract().jsonPath().getLong("balanceMicros");
    }
}
