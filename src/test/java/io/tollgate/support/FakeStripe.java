package io.tollgate.support;

import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.BodyHandler;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A real HTTP server in the test JVM speaking Stripe's PaymentIntents wire format: form-encoded requests, JSON
 * answers, bearer API key, Idempotency-Key replay (a key answers what it answered first, as Stripe does), 402 card
 * errors, and signed webhooks. Started once per test JVM.
 *
 * <p>How a charge behaves depends on its payment method reference, so tests never disturb each other: {@code
 * pm_decline...} is declined, {@code pm_processing...} stays processing until {@link #settle}, anything else succeeds.
 * Faults are queued per reference with {@link #fault}.
 */
public final class FakeStripe {
    public static final String API_KEY = "sk_test_tollgate";
    public static final String WEBHOOK_SECRET = "whsec_test_tollgate";

    public enum Fault {
        /** Takes the money, then answers only after the client gave up (Tollgate's timeout is 1 s in tests). */
        TIMEOUT_AFTER_CHARGE,
        /** Takes the money, then answers 500 (and replays that 500 for the same key, as Stripe does). */
        ERROR_500_AFTER_CHARGE,
        /** Answers 500 without doing anything. */
        ERROR_500_BEFORE_CHARGE
    }

    public static final class Intent {
        public final String id;
        public final long amount;
        public final String currency;
        public final String paymentMethod;
        public final String topUpId;
        public volatile String status = "requires_confirmation";
        public volatile String declineCode;
        public final AtomicInteger charges = new AtomicInteger();

        Intent(String id, long amount, String currency, String paymentMethod, String topUpId) {
            this.id = id;
            this.amount = amount;
            this.currency = currency;
            this.paymentMethod = paymentMethod;
            this.topUpId = topUpId;
        }

        JsonObject json() {
            JsonObject o = new JsonObject().put("id", id).put("object", "payment_intent").put("amount", amount)
                    .put("currency", currency).put("payment_method", paymentMethod).put("status", status)
                    .put("metadata", new JsonObject().put("tollgate_top_up_id", topUpId));
            if (declineCode != null) {
                o.put("last_payment_error", new JsonObject().put("type", "card_error").put("code", "card_declined")
                        .put("decline_code", declineCode).put("message", "Your card was declined."));
            }
            return o;
        }
    }

    private record Stored(int status, String body) {
    }

    private static FakeStripe instance;

    private final Vertx vertx = Vertx.vertx();
    private final Map<String, Intent> intents = new ConcurrentHashMap<>();
    private final Map<String, Stored> replies = new ConcurrentHashMap<>();
    private final Map<String, ConcurrentLinkedQueue<Fault>> faults = new ConcurrentHashMap<>();
    private final AtomicInteger sequence = new AtomicInteger();
    private final AtomicInteger requests = new AtomicInteger();
    private HttpServer server;

    public static synchronized FakeStripe get() {
        if (instance == null) {
            instance = new FakeStripe();
            instance.start();
        }
        return instance;
    }

    private void start() {
        Router router = Router.router(vertx);
        router.route().handler(BodyHandler.create().setBodyLimit(64 * 1024));
        router.route().handler(ctx -> {
            requests.incrementAndGet();
            if (!("Bearer " + API_KEY).equals(ctx.request().getHeader("Authorization"))) {
                error(ctx, 401, "invalid_request_error", "api_key_invalid", "Invalid API Key provided", null);
                return;
            }
            ctx.next();
        });
        router.post("/v1/payment_intents").handler(this::create);
        router.post("/v1/payment_intents/:id/confirm").handler(this::confirm);
        router.get("/v1/payment_intents/:id").handler(ctx -> {
            Intent intent = intents.get(ctx.pathParam("id"));
            if (intent == null) {
                error(ctx, 404, "invalid_request_error", "resource_missing", "No such payment_intent", null);
            } else {
                ctx.response().putHeader("Content-Type", "application/json").end(intent.json().encode());
            }
        });
        try {
            server = vertx.createHttpServer().requestHandler(router).listen(0, "127.0.0.1").toCompletionStage()
                    .toCompletableFuture().get(10, TimeUnit.SECONDS);
        } catch (Exception e) {
            throw new IllegalStateException("fake Stripe did not start", e);
        }
    }

    public String url() {
        return "http://127.0.0.1:" + server.actualPort();
    }

    /** Queues faults for the next calls (create or confirm) that use this payment method reference. */
    public void fault(String paymentMethodRef, Fault... queued) {
        faults.computeIfAbsent(paymentMethodRef, k -> new ConcurrentLinkedQueue<>()).addAll(List.of(queued));
    }

    /** Every PaymentIntent created for this payment method reference. */
    public List<Intent> intentsFor(String paymentMethodRef) {
        return intents.values().stream().filter(i -> i.paymentMethod.equals(paymentMethodRef)).toList();
    }

    /** Money actually taken from this payment method reference (successful charges). */
    public int chargesOf(String paymentMethodRef) {
        return intentsFor(paymentMethodRef).stream().mapToInt(i -> i.charges.get()).sum();
    }

    /** A processing charge settles: it succeeds (money taken). */
    public void settle(String intentId) {
        Intent intent = intents.get(intentId);
        intent.status = "succeeded";
        intent.charges.incrementAndGet();
    }

    /** Sends a signed webhook for the intent to Tollgate, as Stripe would; returns the HTTP status Tollgate answered. */
    public int sendWebhook(String tollgateUrl, String type, String intentId, String secret, long timestampSeconds) throws Exception {
        String body = new JsonObject().put("id", "evt_" + sequence.incrementAndGet()).put("object", "event").put("type", type)
                .put("data", new JsonObject().put("object", intents.get(intentId).json())).encode();
        String signature = "t=" + timestampSeconds + ",v1=" + io.tollgate.funding.WebhookSignature.sign(secret, timestampSeconds, body);
        HttpRequest request = HttpRequest.newBuilder(URI.create(tollgateUrl + "/v1/provider-webhooks/stripe"))
                .header("Content-Type", "application/json").header("Stripe-Signature", signature)
                .POST(HttpRequest.BodyPublishers.ofString(body)).build();
        return HttpClient.newHttpClient().send(request, HttpResponse.BodyHandlers.ofString()).statusCode();
    }

    private void create(RoutingContext ctx) {
        var form = ctx.request().formAttributes();
        String key = ctx.request().getHeader("Idempotency-Key");
        if (replayed(ctx, key)) {
            return;
        }
        String pm = form.get("payment_method");
        Fault fault = nextFault(pm);
        if (fault == Fault.ERROR_500_BEFORE_CHARGE) {
            error(ctx, 500, "api_error", null, "An unknown error occurred", key);
            return;
        }
        Intent intent = new Intent("pi_fake_" + sequence.incrementAndGet(), Long.parseLong(form.get("amount")), form.get("currency"),
                pm, form.get("metadata[tollgate_top_up_id]"));
        intents.put(intent.id, intent);
        answer(ctx, key, 200, intent.json().encode());
    }

    private void confirm(RoutingContext ctx) {
        String key = ctx.request().getHeader("Idempotency-Key");
        if (replayed(ctx, key)) {
            return;
        }
        Intent intent = intents.get(ctx.pathParam("id"));
        if (intent == null) {
            error(ctx, 404, "invalid_request_error", "resource_missing", "No such payment_intent", key);
            return;
        }
        if (!intent.status.equals("requires_confirmation")) {
            error(ctx, 400, "invalid_request_error", "payment_intent_unexpected_state",
                    "This PaymentIntent's status is " + intent.status, key);
            return;
        }
        Fault fault = nextFault(intent.paymentMethod);
        if (fault == Fault.ERROR_500_BEFORE_CHARGE) {
            error(ctx, 500, "api_error", null, "An unknown error occurred", key);
            return;
        }
        if (intent.paymentMethod.startsWith("pm_decline")) {
            intent.status = "requires_payment_method";
            intent.declineCode = "insufficient_funds";
            JsonObject body = new JsonObject().put("error", new JsonObject().put("type", "card_error").put("code", "card_declined")
                    .put("decline_code", "insufficient_funds").put("message", "Your card has insufficient funds.")
                    .put("payment_intent", intent.json()));
            answer(ctx, key, 402, body.encode());
            return;
        }
        if (intent.paymentMethod.startsWith("pm_processing")) {
            intent.status = "processing";
        } else {
            intent.status = "succeeded";
            intent.charges.incrementAndGet();
        }
        if (fault == Fault.ERROR_500_AFTER_CHARGE) {
            error(ctx, 500, "api_error", null, "An unknown error occurred", key);
        } else if (fault == Fault.TIMEOUT_AFTER_CHARGE) {
            String body = intent.json().encode();
            replies.put(key, new Stored(200, body));
            vertx.setTimer(2500, id -> ctx.response().putHeader("Content-Type", "application/json").end(body));
        } else {
            answer(ctx, key, 200, intent.json().encode());
        }
    }

    private Fault nextFault(String paymentMethodRef) {
        ConcurrentLinkedQueue<Fault> queue = paymentMethodRef == null ? null : faults.get(paymentMethodRef);
        return queue == null ? null : queue.poll();
    }

    private boolean replayed(RoutingContext ctx, String key) {
        Stored stored = key == null ? null : replies.get(key);
        if (stored == null) {
            return false;
        }
        ctx.response().setStatusCode(stored.status()).putHeader("Content-Type", "application/json")
                .putHeader("Idempotent-Replayed", "true").end(stored.body());
        return true;
    }

    private void answer(RoutingContext ctx, String key, int status, String body) {
        if (key != null) {
            replies.put(key, new Stored(status, body));
        }
        ctx.response().setStatusCode(status).putHeader("Content-Type", "application/json").end(body);
    }

    private void error(RoutingContext ctx, int status, String type, String code, String message, String key) {
        JsonObject error = new JsonObject().put("type", type).put("message", message);
        if (code != null) {
            error.put("code", code);
        }
        answer(ctx, key, status, new JsonObject().put("error", error).encode());
    }
}
