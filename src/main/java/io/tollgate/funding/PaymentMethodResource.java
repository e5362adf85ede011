package io.tollgate.funding;

import io.smallrye.mutiny.Uni;
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
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/** The tenant's saved cards, as provider references: owner role only. */
@Path("/v1/payment-methods")
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "Funding")
public class PaymentMethodResource {
    private final PaymentMethodService methods;
    private final CurrentCaller current;

    public PaymentMethodResource(PaymentMethodService methods, CurrentCaller current) {
        this.methods = methods;
        this.current = current;
    }

    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    @Allowed(Role.OWNER)
    public Uni<Response> create(PaymentMethodRequests.Create request) {
        return methods.create(current.tenantId(), request).map(m -> Response.status(201).entity(m).build());
    }

    @GET
    @Allowed(Role.OWNER)
    public Uni<List<PaymentMethod.View>> list() {
        return methods.list(current.tenantId());
    }

    @PATCH
    @Path("/{methodId}")
    @Consumes(MediaType.APPLICATION_JSON)
    @Allowed(Role.OWNER)
    public Uni<PaymentMethod.View> update(@PathParam("methodId") String methodId, PaymentMethodRequests.Patch patch) {
        return methods.update(current.tenantId(), methodId, patch);
    }

    @DELETE
    @Path("/{methodId}")
    @Allowed(Role.OWNER)
    public Uni<Response> delete(@PathParam("methodId") String methodId) {
        return methods.delete(current.tenantId(), methodId).map(v -> Response.noContent().build());
    }
}
