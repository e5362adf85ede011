package io.tollgate.wallet;

import io.smallrye.mutiny.Uni;
import io.tollgate.funding.PaymentMethodService;
import io.tollgate.infra.http.IdempotencyKey;
import io.tollgate.infra.http.ProblemType;
import io.tollgate.infra.http.Problems;
import io.tollgate.tenant.Allowed;
import io.tollgate.tenant.CurrentCaller;
import io.tollgate.tenant.Role;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.PATCH;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.util.List;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.enums.ParameterIn;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.parameters.Parameter;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/** Wallets of the caller's tenant: settings (owner), balances (viewer, owner) and credits (owner). */
@Path("/v1")
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "Wallets", description = "Wallets of the acting tenant: settings, balances and credits.")
public class WalletResource {
    /** The description of every {@code walletId} path parameter. */
    public static final String WALLET_ID = "The wallet's id (`w_…`); another tenant's wallet is not found.";

    private final WalletService wallets;
    private final PaymentMethodService paymentMethods;
    private final LowBalanceLevels levels;
    private final CurrentCaller current;

    public WalletResource(WalletService wallets, PaymentMethodService paymentMethods, LowBalanceLevels levels,
            CurrentCaller current) {
        this.wallets = wallets;
        this.paymentMethods = paymentMethods;
        this.levels = levels;
        this.current = current;
    }

    @POST
    @Path("/wallets")
    @Consumes(MediaType.APPLICATION_JSON)
    @Allowed(Role.OWNER)
    @Operation(summary = "Create a wallet", description = "At balance 0. Emits `wallet.created`. With an Idempotency-Key the "
            + "wallet id is derived from the tenant and the key, so a retry with the same settings answers the wallet as it is now "
            + "(`Idempotent-Replayed: true`) for as long as it exists; without one every request creates a new wallet.")
    @Parameter(name = IdempotencyKey.HEADER, required = false, in = ParameterIn.HEADER,
            description = "Optional, 1–255 printable ASCII characters: a retry with the same key and settings answers the same "
                    + "wallet (`Idempotent-Replayed: true`); the same key with other settings is 422 `idempotency-conflict`.")
    @APIResponse(responseCode = "201", description = "The wallet, created now or by an earlier request with the same Idempotency-Key.",
            content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = Wallet.class)))
    @Problems({ProblemType.INVALID_IDEMPOTENCY_KEY, ProblemType.IDEMPOTENCY_CONFLICT, ProblemType.WALLET_EXISTS})
    public Uni<Response> create(@jakarta.ws.rs.core.Context io.vertx.core.http.HttpServerRequest http, WalletRequests.Create request) {
        // read raw: an empty header is a key the service refuses, not an absent one
        String idempotencyKey = http.getHeader(IdempotencyKey.HEADER);
        return wallets.create(current.tenantId(), idempotencyKey, request).chain(created -> withLevels(created.wallet()).map(wallet -> {
            Response.ResponseBuilder answer = Response.status(201).entity(wallet);
            return (idempotencyKey == null ? answer : answer.header(IdempotencyKey.REPLAYED_HEADER, String.valueOf(created.replayed()))).build();
        }));
    }

    @GET
    @Path("/wallets")
    @Allowed({Role.VIEWER, Role.OWNER})
    @Operation(summary = "List the tenant's wallets", description = "Sorted by id, at most 1000.")
    public Uni<List<Wallet>> list() {
        String tenantId = current.tenantId();
        return wallets.list(tenantId).chain(all -> levelsOf(tenantId, all.stream().map(Wallet::id).toList())
                .map(found -> found == null ? all : all.stream()
                        .map(w -> w.withLowBalanceLevels(found.getOrDefault(w.id(), List.of()))).toList()));
    }

    @GET
    @Path("/wallets/{walletId}")
    @Allowed({Role.VIEWER, Role.OWNER})
    @Operation(summary = "Get a wallet with its balance and settings")
    @Problems(ProblemType.WALLET_NOT_FOUND)
    public Uni<Wallet> get(@Parameter(description = WALLET_ID) @PathParam("walletId") String walletId) {
        return wallets.get(current.tenantId(), walletId).chain(this::withLevels);
    }

    /** The live balance and what each kind of traffic may still spend: for pipelines that route on it. */
    @GET
    @Path("/wallets/{walletId}/balance")
    @Allowed({Role.PIPELINE, Role.VIEWER, Role.OWNER})
    @Operation(summary = "Get a wallet's live balance", description = "Read from Redis, the authority for \"may I spend\": "
            + "what manual and automated debits may still take. For pipelines that route on it.")
    @Problems(ProblemType.WALLET_NOT_FOUND)
    public Uni<Balance> balance(@Parameter(description = WALLET_ID) @PathParam("walletId") String walletId) {
        return wallets.get(current.tenantId(), walletId).map(Balance::of);
    }

    @PATCH
    @Path("/wallets/{walletId}")
    @Consumes(MediaType.APPLICATION_JSON)
    @Allowed(Role.OWNER)
    @Operation(summary = "Change a wallet's settings", description = "Fields left out (or null) stay as they are. Emits "
            + "`wallet.updated`, then `wallet.suspended` or `wallet.activated` if the status changed.")
    @Problems({ProblemType.WALLET_NOT_FOUND, ProblemType.AUTO_RECHARGE_INCOMPLETE, ProblemType.EMERGENCY_TOPUP_INCOMPLETE,
            ProblemType.PAYMENT_METHOD_NOT_FOUND})
    public Uni<Wallet> update(@Parameter(description = WALLET_ID) @PathParam("walletId") String walletId, WalletRequests.Patch patch) {
        String methodId = patch == null || patch.autoRecharge() == null ? null : patch.autoRecharge().paymentMethodId();
        if (methodId == null || methodId.isEmpty()) {
            return wallets.update(current.tenantId(), walletId, patch).chain(this::withLevels);
        }
        // The method must be the tenant's own before the wallet names it (another tenant's is a 404, like its wallets).
        return paymentMethods.usable(current.tenantId(), methodId)
                .chain(m -> wallets.update(current.tenantId(), walletId, patch)).chain(this::withLevels);
    }

    @POST
    @Path("/wallets/{walletId}/credits")
    @Consumes(MediaType.APPLICATION_JSON)
    @Allowed(Role.OWNER)
    @Operation(summary = "Credit a wallet without a payment", description = "Support credits, promotions, adjustments; also "
            + "applied to suspended wallets. Emits `wallet.credited` and re-arms balance alerts.")
    @APIResponse(responseCode = "200", description = "The credit, applied now or by an earlier request with the same Idempotency-Key.",
            content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = WalletService.CreditResult.class)))
    @Problems({ProblemType.INVALID_IDEMPOTENCY_KEY, ProblemType.WALLET_NOT_FOUND, ProblemType.CURRENCY_MISMATCH,
            ProblemType.IDEMPOTENCY_CONFLICT, ProblemType.BALANCE_LIMIT})
    public Uni<Response> credit(@Parameter(description = WALLET_ID) @PathParam("walletId") String walletId,
            @Parameter(required = true) @HeaderParam(IdempotencyKey.HEADER) String idempotencyKey, WalletRequests.Credit credit) {
        return wallets.credit(current.tenantId(), current.caller().keyId(), walletId, idempotencyKey, credit)
                .map(result -> Response.ok(result).header(IdempotencyKey.REPLAYED_HEADER, String.valueOf(result.replayed())).build());
    }

    private Uni<Wallet> withLevels(Wallet wallet) {
        return levelsOf(wallet.tenantId(), List.of(wallet.id()))
                .map(found -> found == null ? wallet : wallet.withLowBalanceLevels(found.getOrDefault(wallet.id(), List.of())));
    }

    /**
     * The alert levels live in PostgreSQL: when it cannot answer, the wallet is still answered from Redis, without
     * {@code lowBalance} (null here), rather than not at all.
     */
    private Uni<java.util.Map<String, List<Long>>> levelsOf(String tenantId, List<String> walletIds) {
        if (walletIds.isEmpty()) {
            return Uni.createFrom().item(java.util.Map.of());
        }
        return levels.levelsOf(tenantId, walletIds).onFailure().recoverWithNull();
    }
}
