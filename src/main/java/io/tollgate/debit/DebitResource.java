package io.tollgate.debit;

import static io.tollgate.wallet.WalletResource.WALLET_ID;

import io.smallrye.mutiny.Uni;
import io.tollgate.infra.http.IdempotencyKey;
import io.tollgate.infra.http.ProblemType;
import io.tollgate.infra.http.Problems;
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
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.parameters.Parameter;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/** The hot path: authorise a debit before every send, in batches for campaigns, and reverse undelivered ones. */
@Path("/v1")
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.APPLICATION_JSON)
@Tag(name = "Debits", description = "The hot path: authorise and take a debit before every send, in batches, and reverse undelivered ones.")
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
    @Operation(summary = "Authorise and take one debit", description = "Approved or declined in one step; a decline is an "
            + "answer (200 with `decision: declined`), not an error. An approval emits `debit.approved` (and possibly "
            + "`balance.low`, `balance.depleted`); a decline emits nothing. Served by a Vert.x route ahead of the REST layer "
            + "with the same contract.")
    @APIResponse(responseCode = "200", description = "The decision, taken now or by an earlier request with the same Idempotency-Key.",
            content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = DebitResponse.class)))
    @Problems({ProblemType.INVALID_IDEMPOTENCY_KEY, ProblemType.WALLET_NOT_FOUND, ProblemType.UNKNOWN_ITEM,
            ProblemType.CURRENCY_MISMATCH, ProblemType.UNKNOWN_CHANNEL, ProblemType.IDEMPOTENCY_CONFLICT, ProblemType.BALANCE_LIMIT})
    public Uni<Response> authorise(@Parameter(description = WALLET_ID) @PathParam("walletId") String walletId,
            @Parameter(required = true) @HeaderParam(IdempotencyKey.HEADER) String idempotencyKey, DebitRequest request) {
        return debits.authorise(current.tenantId(), current.caller().keyId(), walletId, idempotencyKey, request)
                .map(result -> Response.ok(DebitResponse.of(result.decision()))
                        .header(IdempotencyKey.REPLAYED_HEADER, String.valueOf(result.replayed())).build());
    }

    @POST
    @Path("/wallets/{walletId}/debit-checks")
    @Allowed({Role.PIPELINE, Role.VIEWER, Role.OWNER})
    @Operation(summary = "Ask whether a debit or a campaign is affordable now, without taking money", description = "The "
            + "decision a debit with the same body would get now, with its price and, for a debit by item, how many units the "
            + "wallet could pay for. Writes nothing, emits nothing, reserves nothing: a debit sent afterwards is decided on the "
            + "balance it then finds.")
    @Problems({ProblemType.WALLET_NOT_FOUND, ProblemType.UNKNOWN_ITEM, ProblemType.CURRENCY_MISMATCH, ProblemType.UNKNOWN_CHANNEL,
            ProblemType.BALANCE_LIMIT})
    public Uni<DebitCheck> check(@Parameter(description = WALLET_ID) @PathParam("walletId") String walletId, DebitRequest request) {
        return debits.check(current.tenantId(), walletId, request);
    }

    @POST
    @Path("/debit-batches")
    @Allowed(Role.PIPELINE)
    @Operation(summary = "Authorise up to 1000 debits in one request", description = "For campaigns. Each item has its own "
            + "wallet and idempotency key; items of one bucket are decided atomically in request order, the batch as a whole "
            + "is not atomic. Per-item errors come in the item's `error` with HTTP 200; a field rule broken by any item fails "
            + "the whole batch (nothing is executed). If Redis fails for one bucket the request fails although others may "
            + "have been applied: resend the same batch, applied items replay.")
    @Problems(ProblemType.INVALID_IDEMPOTENCY_KEY)
    public Uni<BatchResponse> batch(BatchRequest request) {
        return debits.batch(current.tenantId(), current.caller().keyId(), request);
    }

    @POST
    @Path("/wallets/{walletId}/debits/{debitId}/reversals")
    @Allowed(Role.PIPELINE)
    @Operation(summary = "Reverse all or part of an approved debit", description = "At most the debit's amount over all its "
            + "reversals, within the reversal window (`tollgate.debit.reversal-window`, 48 h); works on suspended wallets. "
            + "`{}` reverses everything that remains. Emits `debit.reversed` and re-arms balance alerts.")
    @APIResponse(responseCode = "200", description = "The reversal, applied now or by an earlier request with the same Idempotency-Key.",
            content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = Reversal.Result.class)))
    @Problems({ProblemType.INVALID_IDEMPOTENCY_KEY, ProblemType.WALLET_NOT_FOUND, ProblemType.DEBIT_NOT_FOUND,
            ProblemType.REVERSAL_EXCEEDS_DEBIT, ProblemType.IDEMPOTENCY_CONFLICT, ProblemType.BALANCE_LIMIT})
    public Uni<Response> reverse(@Parameter(description = WALLET_ID) @PathParam("walletId") String walletId,
            @Parameter(description = "The debit's id (`db_…`), as its approval answered it.") @PathParam("debitId") String debitId,
            @Parameter(required = true) @HeaderParam(IdempotencyKey.HEADER) String idempotencyKey, Reversal.Request request) {
        return debits.reverse(current.tenantId(), current.caller().keyId(), walletId, debitId, idempotencyKey, request)
                .map(result -> Response.ok(result).header(IdempotencyKey.REPLAYED_HEADER, String.valueOf(result.replayed())).build());
    }
}
