package io.tollgate.funding;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.quarkus.hibernate.reactive.panache.Panache;
import io.smallrye.mutiny.Uni;
import io.tollgate.infra.http.ProblemException;
import io.tollgate.infra.http.ProblemType;
import io.tollgate.infra.http.Problems;
import io.tollgate.tenant.Public;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.parameters.Parameter;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;
import org.jboss.logging.Logger;

/**
 * The payment provider's webhooks (Stripe wire format). The signature is checked first; a valid event only nudges the
 * top-up that owns the charge to be looked up now: the charge's state is always read from the provider, so duplicate
 * or out-of-order webhooks cannot move a top-up twice or backwards. Events about unknown or settled charges are
 * acknowledged and ignored. Errors: {@code invalid-signature}, {@code invalid-request}.
 */
@Path("/v1/provider-webhooks/stripe")
@Tag(name = "Funding")
public class ProviderWebhookResource {
    private static final Logger LOG = Logger.getLogger(ProviderWebhookResource.class);
    static final int BODY_MAX_CHARS = 256 * 1024;

    private final FundingConfig.Stripe config;
    private final ObjectMapper json;

    @Schema(name = "WebhookReceipt", description = "The webhook was accepted.")
    public record Receipt(
            @Schema(description = "Always `true`.") boolean received,
            @Schema(description = "`true` if the event nudged a pending top-up to be looked up now.") boolean used) {
    }

    public ProviderWebhookResource(FundingConfig config, ObjectMapper json) {
        this.config = config.stripe();
        this.json = json;
    }

    @POST
    @Public
    @Consumes(MediaType.WILDCARD)
    @Produces(MediaType.APPLICATION_JSON)
    @Operation(summary = "Receive a Stripe webhook event (for the payment provider, not for tenants)",
            description = "Authenticated by its `Stripe-Signature`, not by an API key. A valid `payment_intent.*` event makes the "
                    + "top-up that owns the charge be looked up now; the charge's state is always read from the provider, so "
                    + "duplicate or out-of-order events cannot move a top-up twice or backwards. Other events are acknowledged "
                    + "and ignored.")
    @Problems({ProblemType.INVALID_SIGNATURE, ProblemType.INVALID_REQUEST})
    public Uni<Receipt> receive(@Parameter(description = "Stripe's signature of the body: `t=<unix time>,v1=<HMAC-SHA256 hex>`; "
            + "the timestamp must be within 5 minutes.", required = true) @HeaderParam("Stripe-Signature") String signature,
            String body) {
        String secret = config.webhookSecret().orElseThrow(() ->
                new ProblemException(ProblemType.INVALID_SIGNATURE, "no webhook secret is configured (tollgate.funding.stripe.webhook-secret)"));
        if (body == null || body.length() > BODY_MAX_CHARS) {
            throw new ProblemException(ProblemType.INVALID_REQUEST, "a body of at most " + BODY_MAX_CHARS + " characters is required");
        }
        WebhookSignature.verify(secret, signature, body, config.webhookTolerance());
        JsonNode event;
        try {
            event = json.readTree(body);
        } catch (Exception e) {
            throw new ProblemException(ProblemType.INVALID_REQUEST, "the body is not JSON");
        }
        String type = event.path("type").asText();
        String paymentId = event.path("data").path("object").path("id").asText();
        if (!type.startsWith("payment_intent.") || paymentId.isEmpty()) {
            return Uni.createFrom().item(new Receipt(true, false));
        }
        return Panache.withTransaction(() -> TopUp.update(
                "nextAttemptAt = current_timestamp where providerPaymentId = ?1 and state = 'pending'", paymentId))
                .map(nudged -> {
                    LOG.debugf("provider webhook %s for %s nudged %d top-ups", type, paymentId, nudged);
                    return new Receipt(true, nudged > 0);
                });
    }
}
