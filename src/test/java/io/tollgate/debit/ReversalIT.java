package io.tollgate.debit;

import static io.tollgate.support.TestApi.UNIT;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;
import io.tollgate.support.TestApi;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** A message that could not be delivered gets its money back: once, and never more than was taken. */
@QuarkusTest
class ReversalIT {
    String tenant;
    String pipeline;
    String wallet;
    String debitId;

    @BeforeEach
    void debitFiveUnits() {
        tenant = TestApi.newTenant();
        pipeline = TestApi.newKey(tenant, "pipeline");
        wallet = TestApi.fundedWallet(tenant, 10 * UNIT, 0, 0);
        debitId = TestApi.debit(pipeline, wallet, "{\"amountMicros\":" + 5 * UNIT + "}").then().statusCode(200)
                .extract().path("debitId");
    }

    Response reverse(String key, String json) {
        return TestApi.as(pipeline).header("Idempotency-Key", key).body(json)
                .post("/v1/wallets/" + wallet + "/debits/" + debitId + "/reversals");
    }

    @Test
    void partialReversalsUpToTheDebitAndNotBeyond() {
        reverse("r1", "{\"amountMicros\":" + 2 * UNIT + ",\"reason\":\"undelivered\"}").then().statusCode(200)
                .body("amountMicros", TestApi.micros(2 * UNIT)).body("balanceAfterMicros", TestApi.micros(7 * UNIT))
                .body("currency", equalTo("USD"));
        reverse("r2", "{\"amountMicros\":" + 4 * UNIT + "}").then().statusCode(422)
                .body("type", equalTo("https://tollgate.dev/problems/reversal-exceeds-debit"));
        reverse("r3", "{}").then().statusCode(200).body("amountMicros", TestApi.micros(3 * UNIT)).body("balanceAfterMicros", TestApi.micros(10 * UNIT));
        reverse("r4", "{}").then().statusCode(422).body("type", equalTo("https://tollgate.dev/problems/reversal-exceeds-debit"));
        assertEquals(10 * UNIT, TestApi.balance(tenant, wallet));
    }

    @Test
    void aReplayedReversalGivesTheSameAnswerAndMovesNoMoney() {
        String first = reverse("same", "{}").then().statusCode(200).header("Idempotent-Replayed", "false").extract().asString();
        String second = reverse("same", "{}").then().statusCode(200).header("Idempotent-Replayed", "true").extract().asString();
        assertEquals(first, second);
        reverse("same", "{\"amountMicros\":1}").then().statusCode(422).body("type", equalTo("https://tollgate.dev/problems/idempotency-conflict"));
        assertEquals(10 * UNIT, TestApi.balance(tenant, wallet));
    }

    @Test
    void unknownDebitsAndOtherWalletsDebitsAreNotFound() {
        TestApi.as(pipeline).header("Idempotency-Key", "x").body("{}")
                .post("/v1/wallets/" + wallet + "/debits/db_nosuchdebit/reversals").then().statusCode(404)
                .body("type", equalTo("https://tollgate.dev/problems/debit-not-found"));
        String otherWallet = TestApi.fundedWallet(tenant, UNIT, 0, 0);
        TestApi.as(pipeline).header("Idempotency-Key", "y").body("{}")
                .post("/v1/wallets/" + otherWallet + "/debits/" + debitId + "/reversals").then().statusCode(404);
        String otherTenant = TestApi.newTenant();
        String otherPipeline = TestApi.newKey(otherTenant, "pipeline");
        TestApi.as(otherPipeline).header("Idempotency-Key", "z").body("{}")
                .post("/v1/wallets/" + wallet + "/debits/" + debitId + "/reversals").then().statusCode(404)
                .body("type", equalTo("https://tollgate.dev/problems/wallet-not-found"));
        assertEquals(5 * UNIT, TestApi.balance(tenant, wallet));
    }

    @Test
    void oneRecordServesTheRetryAndTheReversalAndNothingElseFindsIt() {
        String json = "{\"amountMicros\":" + 2 * UNIT + "}";
        String approved = TestApi.debit(pipeline, wallet, "msg-42", json).then().statusCode(200).extract().asString();
        String id = io.restassured.path.json.JsonPath.from(approved).getString("debitId");
        TestApi.as(pipeline).header("Idempotency-Key", "rev-msg-42").body("{\"amountMicros\":" + UNIT + "}")
                .post("/v1/wallets/" + wallet + "/debits/" + id + "/reversals").then().statusCode(200)
                .body("balanceAfterMicros", TestApi.micros(4 * UNIT));

        TestApi.debit(pipeline, wallet, "msg-42", json).then().statusCode(200).header("Idempotent-Replayed", "true")
                .body(equalTo(approved)); // the partial reversal did not change the debit's stored answer
        TestApi.as(pipeline).header("Idempotency-Key", "msg-42").body("{}") // the debit's own key names the debit's record
                .post("/v1/wallets/" + wallet + "/debits/" + id + "/reversals").then().statusCode(422)
                .body("type", equalTo("https://tollgate.dev/problems/idempotency-conflict"));
        String otherRandom = id.endsWith("aaaaaa") ? "bbbbbb" : "aaaaaa";
        String sameKeyOtherDebit = id.substring(0, id.length() - 6) + otherRandom; // the record's key, another debit's id
        TestApi.as(pipeline).header("Idempotency-Key", "rev-forged").body("{}")
                .post("/v1/wallets/" + wallet + "/debits/" + sameKeyOtherDebit + "/reversals").then().statusCode(404)
                .body("type", equalTo("https://tollgate.dev/problems/debit-not-found"));
        TestApi.as(pipeline).header("Idempotency-Key", "rev-msg-42-rest").body("{}")
                .post("/v1/wallets/" + wallet + "/debits/" + id + "/reversals").then().statusCode(200)
                .body("amountMicros", TestApi.micros(UNIT));
        assertEquals(5 * UNIT, TestApi.balance(tenant, wallet));
    }

    @Test
    void aDebitApprovedInABatchIsReversedByItsId() {
        String batch = "{\"items\":[{\"walletId\":\"" + wallet + "\",\"idempotencyKey\":\"camp-1\",\"amountMicros\":" + UNIT
                + "},{\"walletId\":\"" + wallet + "\",\"idempotencyKey\":\"camp-2\",\"amountMicros\":" + 2 * UNIT + "}]}";
        String second = TestApi.as(pipeline).body(batch).post("/v1/debit-batches").then().statusCode(200).extract()
                .path("results[1].result.debitId");
        TestApi.as(pipeline).header("Idempotency-Key", "rev-camp-2").body("{}")
                .post("/v1/wallets/" + wallet + "/debits/" + second + "/reversals").then().statusCode(200)
                .body("amountMicros", TestApi.micros(2 * UNIT)).body("balanceAfterMicros", TestApi.micros(4 * UNIT));
    }
}
