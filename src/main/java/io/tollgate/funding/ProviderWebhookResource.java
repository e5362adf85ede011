package io.tollgate.funding;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.quarkus.hibernate.reactive.panache.Panache;
import io.smallrye.mutiny.Uni;
import io.tollgate.infra.http.ProblemException;
import io.tollgate.infra.http.ProblemType;
import io.tollgate.tenant.Public;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import java.util.Map;
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

    public ProviderWebhookResource(FundingConfig config, ObjectMapper json) {
        this.config = config.stripe();
        this.json = json;
    }

    @POST
    @Public
    @Consumes(MediaType.WILDCARD)
    @Produces(MediaType.APPLICATION_JSON)
    public Uni<Map<String, Object>> receive(@HeaderParam("Stripe-Signature") String signature, String body) {
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
            return Uni.createFrom().item(Map.of("received", true, "used", false));
        }
        return Panache.withTransaction(() -> TopUp.update(
                "nextAttemptAt = current_timestamp where providerPaymentId = ?1 and state = 'pending'", paymentId))
                .map(nudged -> {
                    LOG.debugf("provider webhook %s for %s nudged %d top-ups", type, paymentId, nudged);
                    return Map.<String, Object>of("received", true, "used", nudged > 0);
                });
    }
}
