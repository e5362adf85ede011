package io.tollgate.load;

import io.vertx.core.Future;
import io.vertx.core.MultiMap;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.PoolOptions;
import io.vertx.core.http.RequestOptions;
import io.vertx.core.json.JsonObject;
import java.util.concurrent.TimeUnit;

/** The Vert.x side: one event loop, one keep-alive HTTP/1.1 client to 127.0.0.1 with a fixed connection pool. */
final class Http implements AutoCloseable {
    static final String HOST = "127.0.0.1";

    final Vertx vertx;
    final HttpClient client;
    final int port;

    /** A response: status and body. */
    record Reply(int status, Buffer body) {
        JsonObject json() {
            return body == null || body.length() == 0 ? new JsonObject() : body.toJsonObject();
        }
    }

    Http(int port, int connections) {
        this.port = port;
        // One event loop: every callback (and every histogram update) runs on the same thread, and the generator
        // takes at most one of the machine's cores.
        this.vertx = Vertx.vertx(new VertxOptions().setEventLoopPoolSize(1).setWorkerPoolSize(2)
                .setInternalBlockingPoolSize(2).setBlockedThreadCheckInterval(10).setBlockedThreadCheckIntervalUnit(TimeUnit.SECONDS)
                .setPreferNativeTransport(true));
        if (!vertx.isNativeTransportEnabled()) {
            System.err.println("load generator: native epoll unavailable (" + vertx.unavailableNativeTransportCause()
                    + "); NIO costs more CPU per request, taken from what is measured");
        }
        HttpClientOptions options = new HttpClientOptions().setDefaultHost(HOST).setDefaultPort(port).setKeepAlive(true)
                .setPipelining(false).setTcpNoDelay(true).setMaxInitialLineLength(4096).setIdleTimeout(60)
                .setConnectTimeout(5000);
        this.client = vertx.createHttpClient(options, new PoolOptions().setHttp1MaxSize(connections).setMaxWaitQueueSize(-1));
    }

    static MultiMap headers(String bearer) {
        MultiMap h = HttpHeaders.headers();
        h.set(HttpHeaders.CONTENT_TYPE, "application/json");
        h.set(HttpHeaders.ACCEPT, "application/json");
        if (bearer != null) {
            h.set(HttpHeaders.AUTHORIZATION, "Bearer " + bearer);
        }
        return h;
    }

    Future<Reply> send(HttpMethod method, String uri, MultiMap headers, Buffer body) {
        RequestOptions o = new RequestOptions().setMethod(method).setURI(uri).setHeaders(headers).setIdleTimeout(30_000);
        return client.request(o).compose(req -> (body == null ? req.send() : req.send(body))
                .compose(resp -> resp.body().map(b -> new Reply(resp.statusCode(), b))));
    }

    /** For seeding: a call that must answer {@code expected}, else the future fails with status and body. */
    Future<JsonObject> expect(int expected, HttpMethod method, String uri, MultiMap headers, JsonObject body) {
        return send(method, uri, headers, body == null ? null : body.toBuffer()).compose(r -> r.status() == expected
                ? Future.succeededFuture(r.json())
                : Future.failedFuture(method + " " + uri + " answered " + r.status() + ": " + r.body()));
    }

    @Override
    public void close() {
        try {
            client.close().toCompletionStage().toCompletableFuture().get(5, TimeUnit.SECONDS);
        } catch (Exception ignored) {
            // closing after a bounded run; nothing to save
        }
        try {
            vertx.close().toCompletionStage().toCompletableFuture().get(5, TimeUnit.SECONDS);
        } catch (Exception ignored) {
            // as above
        }
    }
}
