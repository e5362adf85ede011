package io.tollgate.wallet;

import io.smallrye.mutiny.Uni;
import io.tollgate.funding.PaymentMethodService;
import io.tollgate.infra.http.IdempotencyKey;
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
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/** Wallets of the caller's tenant: settings (owner), balances (viewer, owner) and credits (owner). */
@Path("/v1")
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "Wallets")
public class WalletResource {
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
    @org.eclipse.microprofile.openapi.annotations.parameters.Parameter(name = IdempotencyKey.HEADER, required = false,
            in = org.eclipse.microprofile.openapi.annotations.enums.ParameterIn.HEADER,
            description = "Optional, 1-255 printable ASCII characters: a retry with the same key answers the same wallet (Idempotent-Replayed: true)")
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
    public Uni<List<Wallet>> list() {
        String tenantId = current.tenantId();
        return wallets.list(tenantId).chain(all -> levelsOf(tenantId, all.stream().map(Wallet::id).toList())
                .map(found -> found == null ? all : all.stream()
                        .map(w -> w.withLowBalanceLevels(found.getOrDefault(w.id(), List.of()))).toList()));
    }

    @GET
    @Path("/wallets/{walletId}")
    @Allowed({Role.VIEWER, Role.OWNER})
    public Uni<Wallet> get(@PathParam("walletId") String walletId) {
        return wallets.get(current.tenantId(), walletId).chain(this::withLevels);
    }

    /** The live balance and what each kind of traffic may still spend: for pipelines that route on it. */
    @GET
    @Path("/wallets/{walletId}/balance")
    @Allowed({Role.PIPELINE, Role.VIEWER, Role.OWNER})
    public Uni<Balance> balance(@PathParam("walletId") String walletId) {
        return wallets.get(current.tenantId(), walletId).map(Balance::of);
    }

    @PATCH
    @Path("/wallets/{walletId}")
    @Consumes(MediaType.APPLICATION_JSON)
    @Allowed(Role.OWNER)
    public Uni<Wallet> update(@PathParam("walletId") String walletId, WalletRequests.Patch patch) {
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
    public Uni<Response> credit(@PathParam("walletId") String walletId,
            @HeaderParam(IdempotencyKey.HEADER) String idempotencyKey, WalletRequests.Credit credit) {
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
