package io.tollgate.funding;

import static io.tollgate.wallet.WalletResource.WALLET_ID;

import io.smallrye.mutiny.Uni;
import io.tollgate.infra.http.IdempotencyKey;
import io.tollgate.infra.http.ProblemType;
import io.tollgate.infra.http.Problems;
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
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.parameters.Parameter;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
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
    @Operation(summary = "Price a manual top-up", description = "The quote is valid for `tollgate.funding.topups.quote-ttl` "
            + "(15 min); confirm it with POST /v1/wallets/{walletId}/top-ups.")
    @APIResponse(responseCode = "201", description = "The quote.", content = @Content(mediaType = MediaType.APPLICATION_JSON,
            schema = @Schema(implementation = TopUpQuote.View.class)))
    @Problems({ProblemType.AMOUNT_OUT_OF_RANGE, ProblemType.WALLET_NOT_FOUND, ProblemType.PAYMENT_METHOD_NOT_FOUND,
            ProblemType.NO_PAYMENT_METHOD})
    public Uni<Response> quote(@Parameter(description = WALLET_ID) @PathParam("walletId") String walletId, TopUpRequests.Quote request) {
        return topUps.quote(current.tenantId(), walletId, request).map(q -> Response.status(201).entity(q).build());
    }

    /** 202: the top-up is pending until the provider settles the charge; poll it or watch topup.applied. */
    @POST
    @Path("/wallets/{walletId}/top-ups")
    @Consumes(MediaType.APPLICATION_JSON)
    @Allowed(Role.OWNER)
    @Operation(summary = "Confirm a top-up quote: charge the card", description = "The top-up is pending until the provider "
            + "settles the charge; poll it or watch for `topup.applied`. The same key and quote answer the same top-up again.")
    @APIResponse(responseCode = "202", description = "The top-up, pending (or as it stands, for a replay).",
            content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = TopUp.View.class)))
    @Problems({ProblemType.INVALID_IDEMPOTENCY_KEY, ProblemType.QUOTE_NOT_FOUND, ProblemType.QUOTE_EXPIRED, ProblemType.QUOTE_USED,
            ProblemType.IDEMPOTENCY_CONFLICT, ProblemType.WALLET_NOT_FOUND})
    public Uni<Response> confirm(@Parameter(description = WALLET_ID) @PathParam("walletId") String walletId,
            @Parameter(required = true) @HeaderParam(IdempotencyKey.HEADER) String idempotencyKey, TopUpRequests.Confirm request) {
        return topUps.confirm(current.tenantId(), walletId, idempotencyKey, request).map(c -> Response.status(202)
                .entity(c.topUp()).header(IdempotencyKey.REPLAYED_HEADER, String.valueOf(c.replayed())).build());
    }

    @GET
    @Path("/wallets/{walletId}/top-ups")
    @Allowed({Role.VIEWER, Role.OWNER})
    @Operation(summary = "List a wallet's top-ups", description = "Of every kind (manual, auto, emergency), newest first, at most 100.")
    @Problems(ProblemType.WALLET_NOT_FOUND)
    public Uni<List<TopUp.View>> list(@Parameter(description = WALLET_ID) @PathParam("walletId") String walletId) {
        return topUps.list(current.tenantId(), walletId);
    }

    @GET
    @Path("/wallets/{walletId}/top-ups/{topUpId}")
    @Allowed({Role.VIEWER, Role.OWNER})
    @Operation(summary = "Get one top-up of a wallet")
    @Problems({ProblemType.WALLET_NOT_FOUND, ProblemType.TOPUP_NOT_FOUND})
    public Uni<TopUp.View> get(@Parameter(description = WALLET_ID) @PathParam("walletId") String walletId,
            @Parameter(description = "The top-up's id (`tu_…`); one of another wallet is not found.") @PathParam("topUpId") String topUpId) {
        return topUps.get(current.tenantId(), walletId, topUpId);
    }
}
