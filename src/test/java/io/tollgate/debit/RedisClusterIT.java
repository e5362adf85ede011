package io.tollgate.debit;

import static io.tollgate.support.TestApi.UNIT;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import io.tollgate.infra.redis.Keys;
import io.tollgate.support.Concurrent;
import io.tollgate.support.RedisClusterResource;
import io.tollgate.support.TestApi;
import io.vertx.core.Vertx;
import jakarta.inject.Inject;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.StringJoiner;
import org.junit.jupiter.api.Test;

/** On a Redis Cluster every script touches one slot, so the hot path scales out without a sharding layer. */
@QuarkusTest
@WithTestResource(value = RedisClusterResource.class, scope = TestResourceScope.RESTRICTED_TO_CLASS)
class RedisClusterIT {
    @Inject
    Vertx vertx;
    @Inject
    Keys keys;

    @Test
    void walletsDebitsAndBatchesWorkAcrossClusterNodes() throws Exception {
        String tenant = TestApi.newTenant();
        String pipeline = TestApi.newKey(tenant, "pipeline");
        List<String> wallets = new ArrayList<>();
        Set<Integer> buckets = new HashSet<>();
        for (int i = 0; i < 20; i++) {
            String wallet = TestApi.fundedWallet(tenant, 100 * UNIT, 0, 0);
            wallets.add(wallet);
            buckets.add(keys.bucket(wallet));
        }
        assertTrue(buckets.size() >= 10, "wallets spread over many buckets, hence over all three nodes");

        List<Concurrent.Request> requests = new ArrayList<>();
        for (int i = 0; i < 400; i++) {
            requests.add(new Concurrent.Request("/v1/wallets/" + wallets.get(i % 20) + "/debits",
                    Map.of("Authorization", "Bearer " + pipeline, "Idempotency-Key", "cluster-" + i),
                    "{\"amountMicros\":" + UNIT + ",\"origin\":\"manual\"}"));
        }
        List<Concurrent.Reply> replies = Concurrent.post(vertx, requests, 50);
        assertEquals(400, replies.stream().filter(r -> r.status() == 200 && r.body().contains("\"approved\"")).count());

        StringJoiner items = new StringJoiner(",", "{\"items\":[", "]}");
        for (int i = 0; i < 200; i++) {
            items.add("{\"walletId\":\"" + wallets.get(i % 20) + "\",\"idempotencyKey\":\"cb-" + i + "\",\"amountMicros\":" + UNIT
                    + ",\"origin\":\"manual\"}");
        }
        JsonPath batch = TestApi.as(pipeline).body(items.toString()).post("/v1/debit-batches").then().statusCode(200).extract().jsonPath();
        assertEquals(200, batch.getInt("approved"));

        for (String wallet : wallets) {
            assertEquals(100 * UNIT - 20 * UNIT - 10 * UNIT, TestApi.balance(tenant, wallet));
        }
        assertEquals(20, TestApi.admin(tenant).get("/v1/wallets").then().statusCode(200).extract().jsonPath().getList("id").size());
    }
}
