package io.tollgate.debit;

import io.smallrye.mutiny.Uni;
import io.tollgate.infra.http.IdempotencyKey;
import io.tollgate.tenant.Allowed;
import io.tollgate.tenant.CurrentCaller;
import io.tollgate.tenant.Role;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/** The hot path: authorise a debit before every send, in batches for campaigns, and reverse undelivered ones. */
@Path("/v1")
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.APPLICATION_JSON)
@Tag(name = "Debits")
public class DebitResource {
    private final DebitService debits;
    private final CurrentCaller current;

    public DebitResource(DebitService debits, CurrentCaller current) {
        this.debits = debits;
        this.current = current;
    }

    @POST
    @Path("/wallets/{walletId}/debits")
    @Allowed(Role.PIPELINE)
    public Uni<Response> authorise(@PathParam("walletId") String walletId,
            @HeaderParam(IdempotencyKey.HEADER) String idempotencyKey, DebitRequest request) {
        return debits.authorise(current.tenantId(), current.caller().keyId(), walletId, idempotencyKey, request)
                .map(result -> Response.ok(DebitResponse.of(result.decision()))
                        .header(IdempotencyKey.REPLAYED_HEADER, String.valueOf(result.replayed())).build());
    }

    @POST
    @Path("/wallets/{walletId}/debit-checks")
    @Allowed({Role.PIPELINE, Role.VIEWER, Role.OWNER})
    public Uni<DebitCheck> check(@PathParam("walletId") String walletId, DebitRequest request) {
        return debits.check(current.tenantId(), walletId, request);
    }

    @POST
    @Path("/debit-batches")
    @Allowed(Role.PIPELINE)
    public Uni<BatchResponse> batch(BatchRequest request) {
        return debits.batch(current.tenantId(), current.caller().keyId(), request);
    }

    @POST
    @Path("/wallets/{walletId}/debits/{debitId}/reversals")
    @Allowed(Role.PIPELINE)
    public Uni<Response> reverse(@PathParam("walletId") String walletId, @PathParam("debitId") String debitId,
            @HeaderParam(IdempotencyKey.HEADER) String idempotencyKey, Reversal.Request request) {
        return debits.reverse(current.tenantId(), current.caller().keyId(), walletId, debitId, idempotencyKey, request)
                .map(result -> Response.ok(result).header(IdempotencyKey.REPLAYED_HEADER, String.valueOf(result.replayed())).build());
    }
}
