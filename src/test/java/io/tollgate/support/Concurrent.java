package io.tollgate.support;

import io.restassured.RestAssured;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.ext.web.client.HttpRequest;
import io.vertx.ext.web.client.WebClient;
import io.vertx.ext.web.client.WebClientOptions;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/** Fires many HTTP requests at once over real connections and collects every answer. */
public final class Concurrent {
    public record Request(String path, Map<String, String> headers, String body) {
    }

    public record Reply(int status, String body, Map<String, String> headers) {
    }

    static final long REQUEST_TIMEOUT_MILLIS = 30_000;

    private Concurrent() {
    }

    /**
     * Sends all requests at once (at most {@code connections} on the wire at a time); waits at most 60 s. A request
     * without an answer within 30 s comes back as status -1 with the failure in its body, so a test reports how many
     * and which requests hung instead of a bare timeout.
     *
     * <p>The web client reads each body as part of the request itself. With the bare HttpClient used before, twice in full
     * runs every debit was applied and the server log was clean, yet a future neither completed nor timed out (the
     * idle timeout never fired): most likely a response whose body had ended before {@code body()} was asked for.
     */
    public static List<Reply> post(Vertx vertx, List<Request> requests, int connections) throws Exception {
        WebClient client = WebClient.create(vertx, new WebClientOptions().setDefaultHost("localhost")
                .setDefaultPort(RestAssured.port).setKeepAlive(true).setMaxPoolSize(connections).setMaxWaitQueueSize(-1));
        try {
            List<CompletableFuture<Reply>> pending = new ArrayList<>(requests.size());
            for (Request r : requests) {
                HttpRequest<Buffer> request = client.post(r.path()).putHeader("Content-Type", "application/json")
                        .timeout(REQUEST_TIMEOUT_MILLIS);
                r.headers().forEach(request::putHeader);
                pending.add(request.sendBuffer(Buffer.buffer(r.body()))
                        .map(resp -> new Reply(resp.statusCode(), resp.bodyAsString() == null ? "" : resp.bodyAsString(),
                                Map.of("Idempotent-Replayed", String.valueOf(resp.getHeader("Idempotent-Replayed")))))
                        .otherwise(failure -> new Reply(-1, "no answer to " + r.headers().get("Idempotency-Key") + ": " + failure, Map.of()))
                        .toCompletionStage().toCompletableFuture());
            }
            CompletableFuture.allOf(pending.toArray(CompletableFuture[]::new)).get(60, TimeUnit.SECONDS);
            List<Reply> replies = new ArrayList<>(pending.size());
            for (CompletableFuture<Reply> f : pending) {
                replies.add(f.get());
            }
            return replies;
        } finally {
            client.close();
        }
    }
}
