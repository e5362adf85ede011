package io.tollgate.funding;

import io.smallrye.mutiny.Uni;
import io.tollgate.infra.http.ProblemType;
import io.tollgate.infra.http.Problems;
import io.tollgate.tenant.Allowed;
import io.tollgate.tenant.CurrentCaller;
import io.tollgate.tenant.Role;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.PATCH;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.util.List;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.parameters.Parameter;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/** The tenant's saved cards, as provider references: owner role only. */
@Path("/v1/payment-methods")
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "Funding", description = "Payment methods, manual top-ups and the payment provider's webhooks.")
public class PaymentMethodResource {
    private static final String METHOD_ID = "The payment method's id (`pm_…`); another tenant's or a deleted method is not found.";
    private final PaymentMethodService methods;
    private final CurrentCaller current;

    public PaymentMethodResource(PaymentMethodService methods, CurrentCaller current) {
        this.methods = methods;
        this.current = current;
    }

    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    @Allowed(Role.OWNER)
    @Operation(summary = "Save a card as the provider's reference", description = "At most 20 per tenant. A new default or "
            + "backup demotes the old one.")
    @APIResponse(responseCode = "201", description = "The payment method, saved.", content = @Content(mediaType = MediaType.APPLICATION_JSON,
            schema = @Schema(implementation = PaymentMethod.View.class)))
    @Problems(ProblemType.CONCURRENT_CHANGE)
    public Uni<Response> create(PaymentMethodRequests.Create request) {
        return methods.create(current.tenantId(), request).map(m -> Response.status(201).entity(m).build());
    }

    @GET
    @Allowed(Role.OWNER)
    @Operation(summary = "List the tenant's payment methods", description = "Oldest first; deleted ones are not listed.")
    public Uni<List<PaymentMethod.View>> list() {
        return methods.list(current.tenantId());
    }

    @PATCH
    @Path("/{methodId}")
    @Consumes(MediaType.APPLICATION_JSON)
    @Allowed(Role.OWNER)
    @Operation(summary = "Change a payment method's role", description = "The method holding that role before becomes `none`.")
    @Problems({ProblemType.PAYMENT_METHOD_NOT_FOUND, ProblemType.CONCURRENT_CHANGE})
    public Uni<PaymentMethod.View> update(@Parameter(description = METHOD_ID) @PathParam("methodId") String methodId,
            PaymentMethodRequests.Patch patch) {
        return methods.update(current.tenantId(), methodId, patch);
    }

    @DELETE
    @Path("/{methodId}")
    @Allowed(Role.OWNER)
    @Operation(summary = "Delete a payment method", description = "Automatic top-ups that named it fall back to the tenant's default method.")
    @APIResponse(responseCode = "204", description = "Deleted.")
    @Problems(ProblemType.PAYMENT_METHOD_NOT_FOUND)
    public Uni<Response> delete(@Parameter(description = METHOD_ID) @PathParam("methodId") String methodId) {
        return methods.delete(current.tenantId(), methodId).map(v -> Response.noContent().build());
    }
}
