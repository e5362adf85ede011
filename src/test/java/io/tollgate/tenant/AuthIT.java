package io.tollgate.tenant;

import static io.tollgate.support.TestApi.UNIT;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.nullValue;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.quarkus.redis.datasource.RedisDataSource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.RestAssured;
import io.tollgate.infra.Ids;
import io.tollgate.infra.redis.Keys;
import io.tollgate.support.Concurrent;
import io.tollgate.support.TestApi;
import jakarta.inject.Inject;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Every request resolves its tenant from its key; roles decide what it may do. */
@QuarkusTest
class AuthIT {
    static final String P = "https://tollgate.dev/problems/";

    @Inject
    RedisDataSource redis;
    @Inject
    Keys keys;
    @Inject
    io.vertx.core.Vertx vertx;

    String tenant;
    String wallet;

    @BeforeEach
    void tenant() {
        tenant = TestApi.newTenant();
        wallet = TestApi.fundedWallet(tenant, 10 * UNIT, 0, 0);
    }

    @Test
    void missingOrWrongKeysAre401() {
        RestAssured.given().get("/v1/wallets/" + wallet).then().statusCode(401).contentType("application/problem+json")
                .body("type", equalTo(P + "unauthenticated"));
        TestApi.as("tg_not_a_real_key").get("/v1/wallets/" + wallet).then().statusCode(401);
        RestAssured.given().header("Authorization", "Basic dXNlcjpwYXNz").get("/v1/wallets/" + wallet).then().statusCode(401);
    }

    @Test
    void rolesAllowOnlyTheirOperations() {
        String pipeline = TestApi.newKey(tenant, "pipeline");
        String viewer = TestApi.newKey(tenant, "viewer");
        String owner = TestApi.newKey(tenant, "owner");
        String debit = "{\"amountMicros\":1}";

        TestApi.debit(viewer, wallet, debit).then().statusCode(403).body("type", equalTo(P + "forbidden"));
        TestApi.debit(owner, wallet, debit).then().statusCode(403);
        TestApi.debit(pipeline, wallet, debit).then().statusCode(200);
        TestApi.as(pipeline).get("/v1/wallets/" + wallet).then().statusCode(403);
        TestApi.as(viewer).get("/v1/wallets/" + wallet).then().statusCode(200);
        TestApi.as(viewer).body("{\"status\":\"suspended\"}").patch("/v1/wallets/" + wallet).then().statusCode(403);
        TestApi.as(viewer).header("Idempotency-Key", "v").body("{\"amountMicros\":5,\"reason\":\"x\",\"category\":\"support\"}")
                .post("/v1/wallets/" + wallet + "/credits").then().statusCode(403);
        TestApi.as(pipeline).body("{\"role\":\"owner\"}").post("/v1/api-keys").then().statusCode(403);
        TestApi.as(owner).body("{\"name\":\"x\"}").post("/v1/tenants").then().statusCode(403);
        TestApi.as(owner).body("{\"status\":\"suspended\"}").patch("/v1/wallets/" + wallet).then().statusCode(200);
        TestApi.as(owner).body("{\"role\":\"admin\"}").post("/v1/api-keys").then().statusCode(400);
        assertEquals(10 * UNIT - 1, TestApi.balance(tenant, wallet), "only the pipeline's debit moved money");
    }

    @Test
    void anotherTenantsWalletIsNotFound() {
        String otherTenant = TestApi.newTenant();
        String otherViewer = TestApi.newKey(otherTenant, "viewer");
        String otherOwner = TestApi.newKey(otherTenant, "owner");
        TestApi.as(otherViewer).get("/v1/wallets/" + wallet).then().statusCode(404).body("type", equalTo(P + "wallet-not-found"));
        TestApi.as(otherOwner).body("{\"status\":\"suspended\"}").patch("/v1/wallets/" + wallet).then().statusCode(404);
        TestApi.as(otherOwner).header("Idempotency-Key", "steal").body("{\"amountMicros\":5,\"reason\":\"x\",\"category\":\"support\"}")
                .post("/v1/wallets/" + wallet + "/credits").then().statusCode(404);
        TestApi.as(otherOwner).header("Tollgate-Tenant", tenant).get("/v1/wallets/" + wallet).then().statusCode(403);
        List<String> listed = TestApi.as(otherViewer).get("/v1/wallets").then().statusCode(200).extract().path("id");
        assertFalse(listed.contains(wallet));
        assertEquals(10 * UNIT, TestApi.balance(tenant, wallet));
    }

    @Test
    void adminKeysNameTheTenantTheyActFor() {
        TestApi.as(TestApi.ADMIN_KEY).get("/v1/wallets/" + wallet).then().statusCode(400).body("type", equalTo(P + "tenant-required"));
        TestApi.as(TestApi.ADMIN_KEY).header("Tollgate-Tenant", "t_nosuchtenant").get("/v1/wallets/" + wallet).then().statusCode(404)
                .body("type", equalTo(P + "tenant-not-found"));
        TestApi.admin(tenant).get("/v1/wallets/" + wallet).then().statusCode(200).body("tenantId", equalTo(tenant));
    }

    @Test
    void keysAreShownOnceAndStoredOnlyAsAHash() {
        String secret = TestApi.newKey(tenant, "viewer");
        TestApi.admin(tenant).get("/v1/api-keys").then().statusCode(200).body("[0].secret", nullValue());
        assertTrue(redis.key(String.class).exists(keys.apiKeyByHash(Ids.sha256Hex(secret))));
        for (String key : redis.key(String.class).keys("tg:key*")) {
            String type = redis.key(String.class).type(key).name();
            String stored = type.equals("HASH") ? redis.hash(String.class).hgetall(key).toString() : redis.value(String.class).get(key);
            assertFalse(stored.contains(secret), "secret stored in " + key);
        }
    }

    @Test
    void aRevokedKeyStopsWorkingWithinFiveSeconds() throws Exception {
        String viewer = TestApi.newKey(tenant, "viewer");
        TestApi.as(viewer).get("/v1/wallets/" + wallet).then().statusCode(200);
        String keyId = TestApi.admin(tenant).get("/v1/api-keys").then().extract().path("find { it.role == 'viewer' }.id");
        long start = System.nanoTime();
        TestApi.admin(tenant).delete("/v1/api-keys/" + keyId).then().statusCode(200).body("revokedAt", org.hamcrest.Matchers.notNullValue());
        assertTrue(secondsUntil401(viewer, start) <= 5.0);

        // Another pod's revocation reaches this pod only through Redis: write it there directly.
        String other = TestApi.newKey(tenant, "viewer");
        TestApi.as(other).get("/v1/wallets/" + wallet).then().statusCode(200);
        long start2 = System.nanoTime();
        redis.hash(String.class).hset(keys.apiKeyByHash(Ids.sha256Hex(other)), "revoked", String.valueOf(System.currentTimeMillis()));
        assertTrue(secondsUntil401(other, start2) <= 5.0);
    }

    /** Creates viewer keys until the tenant holds {@code active} active keys. */
    void fillTo(int active) {
        int now = activeKeys().size();
        for (int i = now; i < active; i++) {
            TestApi.newKey(tenant, "viewer");
        }
        assertEquals(active, activeKeys().size());
    }

    List<String> activeKeys() {
        return TestApi.admin(tenant).get("/v1/api-keys").then().statusCode(200).extract().path("findAll { it.revokedAt == null }.id");
    }

    @Test
    void revokedKeysDoNotCountTowardTheLimit() {
        fillTo(ApiKeyService.KEYS_PER_TENANT_MAX);
        TestApi.admin(tenant).body("{\"role\":\"viewer\"}").post("/v1/api-keys").then().statusCode(422)
                .contentType("application/problem+json").body("type", equalTo(P + "api-key-limit"));
        assertEquals(ApiKeyService.KEYS_PER_TENANT_MAX, activeKeys().size(), "a refused key is not listed");
        assertEquals(ApiKeyService.KEYS_PER_TENANT_MAX, redis.set(String.class).scard(keys.tenantKeys(tenant)));

        String revoked = activeKeys().get(0);
        TestApi.admin(tenant).delete("/v1/api-keys/" + revoked).then().statusCode(200);
        String rotated = TestApi.newKey(tenant, "viewer");
        TestApi.as(rotated).get("/v1/wallets/" + wallet).then().statusCode(200);
        List<String> listed = TestApi.admin(tenant).get("/v1/api-keys").then().statusCode(200).extract().path("id");
        assertEquals(ApiKeyService.KEYS_PER_TENANT_MAX + 1, listed.size(), "the revoked key stays listed");
        assertTrue(listed.contains(revoked));
        TestApi.admin(tenant).body("{\"role\":\"viewer\"}").post("/v1/api-keys").then().statusCode(422);
    }

    @Test
    void concurrentCreationsNeverPassTheLimit() throws Exception {
        fillTo(ApiKeyService.KEYS_PER_TENANT_MAX - 5);
        List<Concurrent.Request> requests = new java.util.ArrayList<>();
        for (int i = 0; i < 40; i++) {
            requests.add(new Concurrent.Request("/v1/api-keys", java.util.Map.of("Authorization", "Bearer " + TestApi.ADMIN_KEY,
                    "Tollgate-Tenant", tenant, "Content-Type", "application/json"), "{\"role\":\"pipeline\"}"));
        }
        List<Concurrent.Reply> replies = Concurrent.post(vertx, requests, 40);
        assertEquals(5, replies.stream().filter(r -> r.status() == 201).count(), "exactly the 5 free places");
        assertEquals(35, replies.stream().filter(r -> r.status() == 422 && r.body().contains("api-key-limit")).count());
        assertEquals(ApiKeyService.KEYS_PER_TENANT_MAX, activeKeys().size());
        List<String> listed = TestApi.admin(tenant).get("/v1/api-keys").then().extract().path("id");
        assertEquals(ApiKeyService.KEYS_PER_TENANT_MAX, listed.size(), "no refused key is listed");
    }

    @Test
    void keysRevokedBeforeRevocationMovedThemAreSweptAtTheLimit() {
        fillTo(ApiKeyService.KEYS_PER_TENANT_MAX);
        // As data written before revocation moved keys: revoked, yet still among the active ids.
        String old = activeKeys().get(0);
        TestApi.admin(tenant).delete("/v1/api-keys/" + old).then().statusCode(200);
        redis.sortedSet(String.class).zrem(keys.tenantRevokedKeys(tenant), old);
        redis.set(String.class).sadd(keys.tenantKeys(tenant), old);
        TestApi.newKey(tenant, "viewer"); // 201: the sweep found the revoked member and retired it
        assertFalse(redis.set(String.class).sismember(keys.tenantKeys(tenant), old));
        assertEquals(ApiKeyService.KEYS_PER_TENANT_MAX, redis.set(String.class).scard(keys.tenantKeys(tenant)));
    }

    @Test
    void onlyTheNewestRevokedKeysAreKept() throws Exception {
        int revokeCount = ApiKeyService.REVOKED_KEYS_LISTED_MAX + 3;
        List<String> secrets = new java.util.ArrayList<>();
        List<String> ids = new java.util.ArrayList<>();
        for (int i = 0; i < revokeCount; i++) {
            String secret = TestApi.newKey(tenant, "viewer");
            String id = TestApi.admin(tenant).get("/v1/api-keys").then().extract().path("find { it.revokedAt == null }.id");
            TestApi.admin(tenant).delete("/v1/api-keys/" + id).then().statusCode(200);
            secrets.add(secret);
            ids.add(id);
            Thread.sleep(2); // distinct revocation times, so "oldest" is well defined
        }
        List<String> listedRevoked = TestApi.admin(tenant).get("/v1/api-keys").then().statusCode(200)
                .extract().path("findAll { it.revokedAt != null }.id");
        assertEquals(ApiKeyService.REVOKED_KEYS_LISTED_MAX, listedRevoked.size());
        for (int i = 0; i < 3; i++) {
            assertFalse(listedRevoked.contains(ids.get(i)), "oldest revoked key " + i + " pruned");
            assertFalse(redis.key(String.class).exists(keys.apiKey(ids.get(i))));
            assertFalse(redis.key(String.class).exists(keys.apiKeyByHash(Ids.sha256Hex(secrets.get(i)))));
            TestApi.as(secrets.get(i)).get("/v1/wallets").then().statusCode(401);
        }
        assertTrue(listedRevoked.contains(ids.get(revokeCount - 1)));
        TestApi.admin(tenant).delete("/v1/api-keys/" + ids.get(0)).then().statusCode(404);
    }

    static double secondsUntil401(String key, long startNanos) throws InterruptedException {
        while (System.nanoTime() - startNanos < 8_000_000_000L) {
            if (TestApi.as(key).get("/v1/wallets").statusCode() == 401) {
                return (System.nanoTime() - startNanos) / 1e9;
            }
            Thread.sleep(100);
        }
        return Double.MAX_VALUE;
    }
}
