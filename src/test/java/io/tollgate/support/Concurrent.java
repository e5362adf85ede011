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

    private Concurrent() {
    }

    /** Sends all requests at once (at most {@code connections} on the wire at a time); waits at most 60 s. */
    public static List<Reply> post(Vertx vertx, List<Request> requests, int connections) throws Exception {
        HttpClient client = vertx.createHttpClient(new HttpClientOptions().setDefaultHost("localhost")
                .setDefaultPort(RestAssured.port).setKeepAlive(true), new PoolOptions().setHttp1MaxSize(connections).setMaxWaitQueueSize(-1));
        try {
            List<CompletableFuture<Reply>> pending = new ArrayList<>(requests.size());
            for (Request r : requests) {
                RequestOptions options = new RequestOptions().setMethod(HttpMethod.POST).setURI(r.path())
                        .putHeader("Content-Type", "application/json");
                r.headers().forEach(options::putHeader);
                pending.add(client.request(options)
                        .compose(req -> req.send(Buffer.buffer(r.body())))
                        .compose(resp -> resp.body().map(body -> new Reply(resp.statusCode(), body.toString(),
                                Map.of("Idempotent-Replayed", String.valueOf(resp.getHeader("Idempotent-Replayed"))))))
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
