package io.tollgate.support;

import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerRequest;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Queue;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;

/**
 * A real HTTP server in the test JVM that records every webhook request. How it answers depends on the path's
 * first segment: {@code /ok/…} 200, {@code /fail-once/…} 500 the first time then 200, {@code /always-500/…} 500,
 * {@code /hang/…} never. Started once per JVM on a free port.
 */
public final class WebhookReceiver {
    private static WebhookReceiver instance;

    /** One request as it arrived; headers with lower-case names. */
    public record Received(String path, Map<String, String> headers, String body, long receivedAtNanos) {
        public String header(String name) {
            return headers.get(name.toLowerCase(Locale.ROOT));
        }
    }

    private final Queue<Received> received = new ConcurrentLinkedQueue<>();
    private final Set<String> failedOnce = ConcurrentHashMap.newKeySet();
    private final int port;

    private WebhookReceiver() throws Exception {
        HttpServer server = Vertx.vertx().createHttpServer().requestHandler(this::handle);
        this.port = server.listen(0, "127.0.0.1").toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS).actualPort();
    }

    public static synchronized WebhookReceiver get() {
        if (instance == null) {
            try {
                instance = new WebhookReceiver();
            } catch (Exception e) {
                throw new IllegalStateException("could not start the webhook receiver", e);
            }
        }
        return instance;
    }

    public String url(String path) {
        return "http://127.0.0.1:" + port + path;
    }

    public List<Received> at(String path) {
        return new ArrayList<>(received.stream().filter(r -> r.path().equals(path)).toList());
    }

    private void handle(HttpServerRequest request) {
        request.body().onSuccess(body -> {
            Map<String, String> headers = new HashMap<>();
            request.headers().forEach(h -> headers.put(h.getKey().toLowerCase(Locale.ROOT), h.getValue()));
            String path = request.path();
            received.add(new Received(path, headers, body.toString(), System.nanoTime()));
            String kind = path.split("/").length > 1 ? path.split("/")[1] : "";
            switch (kind) {
                case "hang" -> { } // never answers
                case "always-500" -> request.response().setStatusCode(500).end();
                case "fail-once" -> request.response().setStatusCode(failedOnce.add(path) ? 500 : 200).end();
                default -> request.response().setStatusCode(200).end();
            }
        });
    }
}
