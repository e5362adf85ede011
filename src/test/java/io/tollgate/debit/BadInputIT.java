package io.tollgate.debit;

import static io.tollgate.support.TestApi.UNIT;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.quarkus.redis.datasource.RedisDataSource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.RestAssured;
import io.restassured.response.Response;
import io.tollgate.infra.redis.Keys;
import io.tollgate.support.RedisInspector;
import io.tollgate.support.TestApi;
import jakarta.inject.Inject;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.function.Supplier;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Bad input gets a 4xx problem with a stable type, and nothing changes anywhere. */
@QuarkusTest
class BadInputIT {
    static final String P = "https://tollgate.dev/problems/";

    @Inject
    RedisDataSource redis;
    @Inject
    Keys keys;

    String tenant;
    String pipeline;
    String wallet;
    RedisInspector inspect;

    @BeforeEach
    void wallet() {
        tenant = TestApi.newTenant();
        pipeline = TestApi.newKey(tenant, "pipeline");
        wallet = TestApi.fundedWallet(tenant, 10 * UNIT, 0, 0);
        TestApi.admin(tenant).body("{\"items\":{\"sms\":{\"unitPriceMicros\":7500}}}").put("/v1/rate-cards/USD").then().statusCode(200);
        inspect = new RedisInspector(redis, keys);
    }

    void rejected(int status, String type, Supplier<Response> call) {
        String before = inspect.snapshot(wallet);
        Response response = call.get();
        response.then().statusCode(status).contentType("application/problem+json").body("type", equalTo(P + type))
                .body("status", equalTo(status));
        String text = response.asString();
        assertEquals(false, text.contains("Exception") || text.contains("\tat "), "no stack trace: " + text);
        assertEquals(before, inspect.snapshot(wallet), "nothing changed");
    }

    void rejectedBody(int status, String type, String body) {
        rejected(status, type, () -> TestApi.debit(pipeline, wallet, body));
    }

    @Test
    void amounts() {
        rejectedBody(400, "invalid-request", "{\"amountMicros\":0}");
        rejectedBody(400, "invalid-request", "{\"amountMicros\":-5}");
        rejectedBody(400, "invalid-request", "{\"amountMicros\":1.5}");
        rejectedBody(400, "invalid-request", "{\"amountMicros\":1e3}");
        rejectedBody(400, "invalid-request", "{\"amountMicros\":\"1000\"}");
        rejectedBody(400, "invalid-request", "{\"amountMicros\":9007199254740992}");
        rejectedBody(400, "invalid-request", "{\"amountMicros\":99999999999999999999999}");
        rejectedBody(400, "invalid-request", "{\"amountMicros\":null}");
        rejectedBody(400, "invalid-request", "{}");
        rejectedBody(400, "invalid-request", "{\"amountMicros\":5,\"item\":\"sms\"}");
        rejectedBody(400, "invalid-request", "{\"item\":\"sms\",\"quantity\":0}");
    }

    @Test
    void unknownExtraAndDuplicateFields() {
        rejectedBody(400, "invalid-request", "{\"amountMicros\":5,\"balance\":100}");
        rejectedBody(400, "invalid-request", "{\"amountMicros\":5,\"tenantId\":\"t_x\"}");
        rejectedBody(400, "invalid-request", "{\"amountMicros\":5,\"amountMicros\":6}");
        rejectedBody(400, "invalid-request", "{\"amountMicros\":5,\"origin\":\"robot\"}");
        rejectedBody(400, "invalid-request", "{\"amountMicros\":5,\"force\":\"yes\"}");
        rejectedBody(400, "invalid-request", "{\"amountMicros\":5,\"reference\":{\"k\":1}}");
        rejectedBody(400, "invalid-request", "{\"amountMicros\":5} trailing");
        rejectedBody(400, "invalid-request", "[1,2]");
        rejectedBody(400, "invalid-request", "{\"amountMicros\":");
    }

    @Test
    void bodySizeAndContentType() {
        String big = "{\"amountMicros\":5,\"user\":\"" + "a".repeat(70_000) + "\"}";
        rejectedBody(413, "payload-too-large", big);
        rejected(415, "unsupported-media-type", () -> RestAssured.given().header("Authorization", "Bearer " + pipeline)
                .header("Idempotency-Key", "ct").contentType("text/plain").body("amountMicros=5")
                .post("/v1/wallets/" + wallet + "/debits"));
        rejected(415, "unsupported-media-type", () -> RestAssured.given().header("Authorization", "Bearer " + pipeline)
                .header("Idempotency-Key", "ct2").contentType("application/xml").body("<a/>")
                .post("/v1/wallets/" + wallet + "/debits"));
    }

    /** The hot path's own route (DebitRoute) answers these itself, before and without the REST layer. */
    @Test
    void acceptEmptyBodiesAndChunkedOversizedBodies() throws Exception {
        rejected(406, "not-acceptable", () -> RestAssured.given().header("Authorization", "Bearer " + pipeline)
                .header("Idempotency-Key", "acc").contentType("application/json").accept("text/html").body("{\"amountMicros\":5}")
                .post("/v1/wallets/" + wallet + "/debits"));
        rejectedBody(400, "invalid-request", "");
        rejectedBody(400, "invalid-request", "null");
        // No Content-Length (chunked), so BodyLimits cannot refuse it up front: the route answers 413 once the body
        // passes 64 KiB, and closes the connection when a body goes on past 2 MiB more.
        String before = inspect.snapshot(wallet);
        String head = "POST /v1/wallets/" + wallet + "/debits HTTP/1.1\r\nHost: localhost\r\nAuthorization: Bearer " + pipeline
                + "\r\nContent-Type: application/json\r\nIdempotency-Key: chunked-big\r\nTransfer-Encoding: chunked\r\n\r\n";
        String chunk = "a".repeat(32 * 1024);
        String framed = Integer.toHexString(chunk.length()) + "\r\n" + chunk + "\r\n";
        try (Socket socket = new Socket("localhost", RestAssured.port)) {
            socket.setSoTimeout(10_000);
            java.io.ByteArrayOutputStream received = new java.io.ByteArrayOutputStream();
            Thread reader = new Thread(() -> { // reads the answer while the body is still being sent
                try {
                    InputStream in = socket.getInputStream();
                    byte[] buf = new byte[4096];
                    for (int n; (n = in.read(buf)) > 0; ) {
                        synchronized (received) {
                            received.write(buf, 0, n);
                        }
                    }
                } catch (java.io.IOException ignored) {
                    // reset by the server's close: what was read so far is the answer
                }
            });
            reader.start();
            OutputStream out = socket.getOutputStream();
            String start = "{\"amountMicros\":5,\"user\":\"";
            out.write((head + Integer.toHexString(start.length()) + "\r\n" + start + "\r\n").getBytes(StandardCharsets.ISO_8859_1));
            boolean closed = false;
            // up to 64 MB, far past 64 KiB + 2 MiB: socket buffers may take megabytes after the close before a write fails
            for (int i = 0; i < 2000 && !closed; i++) {
                try {
                    out.write(framed.getBytes(StandardCharsets.ISO_8859_1));
                    out.flush();
                } catch (java.io.IOException e) {
                    closed = true; // the server stopped reading
                }
            }
            reader.join(10_000);
            String reply;
            synchronized (received) {
                reply = received.toString(StandardCharsets.ISO_8859_1);
            }
            assertEquals(true, reply.startsWith("HTTP/1.1 413") && reply.contains(P + "payload-too-large"), reply);
            assertEquals(true, closed, "the connection is closed once the body runs on past the limit");
        }
        assertEquals(before, inspect.snapshot(wallet));
    }

    @Test
    void idempotencyKeys() {
        rejected(400, "invalid-idempotency-key", () -> TestApi.debit(pipeline, wallet, null, "{\"amountMicros\":5}"));
        rejected(400, "invalid-idempotency-key", () -> TestApi.debit(pipeline, wallet, "", "{\"amountMicros\":5}"));
        rejected(400, "invalid-idempotency-key", () -> TestApi.debit(pipeline, wallet, "k".repeat(256), "{\"amountMicros\":5}"));
        rejected(400, "invalid-idempotency-key", () -> TestApi.debit(pipeline, wallet, "tab\there", "{\"amountMicros\":5}"));
        rejected(400, "invalid-idempotency-key", () -> TestApi.debit(pipeline, wallet, "caf\u00e9", "{\"amountMicros\":5}"));
        TestApi.debit(pipeline, wallet, "k".repeat(255), "{\"amountMicros\":5}").then().statusCode(200);
    }

    @Test
    void controlCharacterInTheKeyOverARawSocket() throws Exception {
        String before = inspect.snapshot(wallet);
        String body = "{\"amountMicros\":5}";
        String request = "POST /v1/wallets/" + wallet + "/debits HTTP/1.1\r\nHost: localhost\r\nAuthorization: Bearer " + pipeline
                + "\r\nContent-Type: application/json\r\nIdempotency-Key: bad\u0001key\r\nContent-Length: " + body.length()
                + "\r\nConnection: close\r\n\r\n" + body;
        try (Socket socket = new Socket("localhost", RestAssured.port)) {
            OutputStream out = socket.getOutputStream();
            out.write(request.getBytes(StandardCharsets.ISO_8859_1));
            out.flush();
            InputStream in = socket.getInputStream();
            String reply = new String(in.readAllBytes(), StandardCharsets.ISO_8859_1);
            assertEquals(true, reply.startsWith("HTTP/1.1 400"), reply);
        }
        assertEquals(before, inspect.snapshot(wallet));
    }

    @Test
    void pricingCurrencyAndWallets() {
        rejectedBody(422, "unknown-item", "{\"item\":\"carrier.pigeon\"}");
        rejectedBody(422, "currency-mismatch", "{\"amountMicros\":5,\"currency\":\"EUR\"}");
        rejectedBody(422, "currency-mismatch", "{\"item\":\"sms\",\"currency\":\"EUR\"}");
        rejectedBody(400, "invalid-request", "{\"amountMicros\":5,\"currency\":\"XYZ\"}");
        rejectedBody(400, "invalid-request", "{\"item\":\"sms\",\"destinationCountry\":\"ZZ\"}");
        rejected(404, "wallet-not-found", () -> TestApi.debit(pipeline, "w_nosuchwallet", "{\"amountMicros\":5}"));
        rejected(404, "wallet-not-found", () -> TestApi.debit(pipeline, "w_bad:tag", "{\"amountMicros\":5}"));
        String otherTenant = TestApi.newTenant();
        String otherPipeline = TestApi.newKey(otherTenant, "pipeline");
        rejected(404, "wallet-not-found", () -> TestApi.debit(otherPipeline, wallet, "{\"amountMicros\":5}"));
        rejected(404, "wallet-not-found", () -> TestApi.debit(otherPipeline, wallet, "{\"item\":\"sms\"}"));
    }

    @Test
    void walletAndCreditRequests() {
        rejected(400, "invalid-request", () -> TestApi.admin(tenant).body("{\"currency\":\"usd\"}").post("/v1/wallets"));
        rejected(400, "invalid-request", () -> TestApi.admin(tenant).body("{\"currency\":\"USD\",\"balanceMicros\":5}").post("/v1/wallets"));
        rejected(400, "invalid-request", () -> TestApi.admin(tenant).body("{\"currency\":\"EUR\"}").patch("/v1/wallets/" + wallet));
        rejected(400, "invalid-request", () -> TestApi.admin(tenant).body("{\"status\":\"frozen\"}").patch("/v1/wallets/" + wallet));
        rejected(400, "invalid-request", () -> TestApi.admin(tenant).body("{\"floorMicros\":-9007199254740992}").patch("/v1/wallets/" + wallet));
        rejected(400, "invalid-request", () -> TestApi.admin(tenant).header("Idempotency-Key", "c")
                .body("{\"amountMicros\":0,\"reason\":\"x\",\"category\":\"support\"}").post("/v1/wallets/" + wallet + "/credits"));
        rejected(400, "invalid-request", () -> TestApi.admin(tenant).header("Idempotency-Key", "c")
                .body("{\"amountMicros\":5,\"category\":\"support\"}").post("/v1/wallets/" + wallet + "/credits"));
        rejected(422, "currency-mismatch", () -> TestApi.admin(tenant).header("Idempotency-Key", "c")
                .body("{\"amountMicros\":5,\"currency\":\"EUR\",\"reason\":\"x\",\"category\":\"support\"}").post("/v1/wallets/" + wallet + "/credits"));
    }
}
