package io.tollgate.support;

import io.restassured.RestAssured;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.PoolOptions;
import io.vertx.core.http.RequestOptions;
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
     */
    public static List<Reply> post(Vertx vertx, List<Request> requests, int connections) throws Exception {
        HttpClient client = vertx.createHttpClient(new HttpClientOptions().setDefaultHost("localhost")
                .setDefaultPort(RestAssured.port).setKeepAlive(true), new PoolOptions().setHttp1MaxSize(connections).setMaxWaitQueueSize(-1));
        try {
            List<CompletableFuture<Reply>> pending = new ArrayList<>(requests.size());
            for (Request r : requests) {
                RequestOptions options = new RequestOptions().setMethod(HttpMethod.POST).setURI(r.path())
                        .putHeader("Content-Type", "application/json").setIdleTimeout(REQUEST_TIMEOUT_MILLIS);
                r.headers().forEach(options::putHeader);
                pending.add(client.request(options)
                        .compose(req -> req.send(Buffer.buffer(r.body())))
                        .compose(resp -> resp.body().map(body -> new Reply(resp.statusCode(), body.toString(),
                                Map.of("Idempotent-Replayed", String.valueOf(resp.getHeader("Idempotent-Replayed"))))))
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
