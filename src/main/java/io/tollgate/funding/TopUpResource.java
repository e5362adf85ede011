package io.tollgate.funding;

import io.smallrye.mutiny.Uni;
import io.tollgate.infra.http.IdempotencyKey;
import io.tollgate.tenant.Allowed;
import io.tollgate.tenant.CurrentCaller;
import io.tollgate.tenant.Role;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.util.List;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/** Manual top-ups: quote, then confirm (owner); the wallet's top-ups of every kind (viewer, owner). */
// Under "/v1" like WalletResource: JAX-RS picks one root resource by its path and never backtracks, so a root at
// "/v1/wallets/{walletId}" would hide WalletResource's "/wallets/{walletId}/credits".
@Path("/v1")
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "Funding")
public class TopUpResource {
    private final TopUpService topUps;
    private final CurrentCaller current;

    public TopUpResource(TopUpService topUps, CurrentCaller current) {
        this.topUps = topUps;
        this.current = current;
    }

    @POST
    @Path("/wallets/{walletId}/top-up-quotes")
    @Consumes(MediaType.APPLICATION_JSON)
    @Allowed(Role.OWNER)
    public Uni<Response> quote(@PathParam("walletId") String walletId, TopUpRequests.Quote request) {
        return topUps.quote(current.tenantId(), walletId, request).map(q -> Response.status(201).entity(q).build());
    }

    /** 202: the top-up is pending until the provider settles the charge; poll it or watch topup.applied. */
    @POST
    @Path("/wallets/{walletId}/top-ups")
    @Consumes(MediaType.APPLICATION_JSON)
    @Allowed(Role.OWNER)
    public Uni<Response> confirm(@PathParam("walletId") String walletId, @HeaderParam(IdempotencyKey.HEADER) String idempotencyKey,
            TopUpRequests.Confirm request) {
        return topUps.confirm(current.tenantId(), walletId, idempotencyKey, request).map(c -> Response.status(202)
                .entity(c.topUp()).header(IdempotencyKey.REPLAYED_HEADER, String.valueOf(c.replayed())).build());
    }

    @GET
    @Path("/wallets/{walletId}/top-ups")
    @Allowed({Role.VIEWER, Role.OWNER})
    public Uni<List<TopUp.View>> list(@PathParam("walletId") String walletId) {
        return topUps.list(current.tenantId(), walletId);
    }

    @GET
    @Path("/wallets/{walletId}/top-ups/{topUpId}")
    @Allowed({Role.VIEWER, Role.OWNER})
    public Uni<TopUp.View> get(@PathParam("walletId") String walletId, @PathParam("topUpId") String topUpId) {
        return topUps.get(current.tenantId(), walletId, topUpId);
    }
}
