package io.tollgate.funding;

import io.smallrye.mutiny.Uni;
import io.vertx.core.json.JsonObject;
import io.vertx.mutiny.core.MultiMap;
import io.vertx.mutiny.core.Vertx;
import io.vertx.mutiny.core.buffer.Buffer;
import io.vertx.mutiny.ext.web.client.HttpResponse;
import io.vertx.mutiny.ext.web.client.WebClient;
import io.vertx.ext.web.client.WebClientOptions;
import java.net.URI;
import java.time.Duration;
import java.util.Locale;

/**
 * Stripe's PaymentIntents API (form-encoded requests, JSON answers, {@code Idempotency-Key} on every write):
 * create with {@code confirm=false}, then {@code /confirm} with {@code off_session=true}, and {@code GET} to look a
 * charge up. HTTP 402 is a decline (an answer); 5xx, 429, 409 (a concurrent request with the same key), timeouts and
 * connection errors are {@link ProviderUnavailableException}; any other 4xx is a definite refusal, reported as a
 * decline with code {@code provider_rejected}.
 */
final class StripePaymentProvider implements PaymentProvider {
    static final int BODY_MAX_BYTES = 1 << 20;

    private final WebClient http;
    private final String basePath;
    private final String authorization;
    private final long timeoutMillis;

    StripePaymentProvider(Vertx vertx, FundingConfig.Stripe config) {
        URI base = URI.create(config.baseUrl());
        boolean tls = "https".equals(base.getScheme());
        int port = base.getPort() > 0 ? base.getPort() : tls ? 443 : 80;
        this.http = WebClient.create(vertx, new WebClientOptions().setDefaultHost(base.getHost()).setDefaultPort(port)
                .setSsl(tls).setMaxPoolSize(32).setKeepAlive(true).setUserAgent("tollgate"));
        this.basePath = base.getPath() == null ? "" : base.getPath().replaceAll("/$", "");
        this.authorization = "Bearer " + config.apiKey().orElse("");
        this.timeoutMillis = checked(config.timeout()).toMillis();
    }

    private static Duration checked(Duration timeout) {
        if (timeout.isNegative() || timeout.isZero() || timeout.toSeconds() > 60) {
            throw new IllegalArgumentException("tollgate.funding.stripe.timeout must be within (0, 60s]");
        }
        return timeout;
    }

    @Override
    public Uni<ProviderCharge> create(ChargeRequest request) {
        MultiMap form = MultiMap.caseInsensitiveMultiMap()
                .add("amount", String.valueOf(request.amountMinor()))
                .add("currency", request.currency().toLowerCase(Locale.ROOT))
                .add("payment_method", request.paymentMethodRef())
                .add("confirm", "false")
                .add("metadata[tollgate_top_up_id]", request.topUpId());
        if (request.customerRef() != null && !request.customerRef().isEmpty()) {
            form.add("customer", request.customerRef());
        }
        return send(http.post(basePath + "/v1/payment_intents").putHeader("Idempotency-Key", request.idempotencyKey())
                .putHeader("Authorization", authorization).timeout(timeoutMillis).sendForm(form), null);
    }

    @Override
    public Uni<ProviderCharge> confirm(String paymentId, String idempotencyKey) {
        MultiMap form = MultiMap.caseInsensitiveMultiMap().add("off_session", "true");
        return send(http.post(basePath + "/v1/payment_intents/" + paymentId + "/confirm")
                .putHeader("Idempotency-Key", idempotencyKey).putHeader("Authorization", authorization)
                .timeout(timeoutMillis).sendForm(form), paymentId);
    }

    @Override
    public Uni<ProviderCharge> retrieve(String paymentId) {
        return send(http.get(basePath + "/v1/payment_intents/" + paymentId).putHeader("Authorization", authorization)
                .timeout(timeoutMillis).send(), paymentId);
    }

    private static Uni<ProviderCharge> send(Uni<HttpResponse<Buffer>> call, String paymentId) {
        return call.onFailure().transform(f -> new ProviderUnavailableException("provider call failed: " + f))
                .map(response -> answer(response, paymentId));
    }

    static ProviderCharge answer(HttpResponse<Buffer> response, String paymentId) {
        int status = response.statusCode();
        if (status >= 500 || status == 429 || status == 409) {
            throw new ProviderUnavailableException("provider answered HTTP " + status);
        }
        JsonObject body = json(response);
        if (status == 402) {
            JsonObject error = body.getJsonObject("error", new JsonObject());
            JsonObject intent = error.getJsonObject("payment_intent");
            String id = intent != null ? intent.getString("id", paymentId) : paymentId;
            return new ProviderCharge(id, ChargeStatus.DECLINED, code(error), error.getString("message", "declined"));
        }
        if (status >= 400) {
            JsonObject error = body.getJsonObject("error", new JsonObject());
            return new ProviderCharge(paymentId, ChargeStatus.DECLINED, "provider_rejected",
                    "HTTP " + status + ": " + error.getString("message", ""));
        }
        return intent(body);
    }

    /** Maps a PaymentIntent object to a charge: anything that needs the customer present is a decline off-session. */
    static ProviderCharge intent(JsonObject pi) {
        String id = pi.getString("id");
        if (id == null || id.isEmpty()) {
            throw new ProviderUnavailableException("provider answered without a payment intent id");
        }
        return switch (pi.getString("status", "")) {
            case "succeeded" -> new ProviderCharge(id, ChargeStatus.SUCCEEDED, null, null);
            case "processing" -> new ProviderCharge(id, ChargeStatus.PROCESSING, null, null);
            case "requires_confirmation" -> new ProviderCharge(id, ChargeStatus.REQUIRES_CONFIRMATION, null, null);
            case "requires_action" -> new ProviderCharge(id, ChargeStatus.DECLINED, "authentication_required", "the card needs the customer present");
            default -> {
                JsonObject error = pi.getJsonObject("last_payment_error", new JsonObject());
                yield new ProviderCharge(id, ChargeStatus.DECLINED, code(error), error.getString("message", pi.getString("status")));
            }
        };
    }

    private static String code(JsonObject error) {
        String decline = error.getString("decline_code");
        return decline != null ? decline : error.getString("code", "declined");
    }

    private static JsonObject json(HttpResponse<Buffer> response) {
        Buffer body = response.body();
        if (body == null || body.length() == 0 || body.length() > BODY_MAX_BYTES) {
            return new JsonObject();
        }
        try {
            return body.toJsonObject();
        } catch (RuntimeException e) {
            throw new ProviderUnavailableException("provider answered HTTP " + response.statusCode() + " with a body that is not JSON");
        }
    }
}
