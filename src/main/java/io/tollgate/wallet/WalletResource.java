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
    private final CurrentCaller current;

    public WalletResource(WalletService wallets, PaymentMethodService paymentMethods, CurrentCaller current) {
        this.wallets = wallets;
        this.paymentMethods = paymentMethods;
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
        return wallets.create(current.tenantId(), idempotencyKey, request).map(created -> {
            Response.ResponseBuilder answer = Response.status(201).entity(created.wallet());
            return (idempotencyKey == null ? answer : answer.header(IdempotencyKey.REPLAYED_HEADER, String.valueOf(created.replayed()))).build();
        });
    }

    @GET
    @Path("/wallets")
    @Allowed({Role.VIEWER, Role.OWNER})
    public Uni<List<Wallet>> list() {
        return wallets.list(current.tenantId());
    }

    @GET
    @Path("/wallets/{walletId}")
    @Allowed({Role.VIEWER, Role.OWNER})
    public Uni<Wallet> get(@PathParam("walletId") String walletId) {
        return wallets.get(current.tenantId(), walletId);
    }

    @PATCH
    @Path("/wallets/{walletId}")
    @Consumes(MediaType.APPLICATION_JSON)
    @Allowed(Role.OWNER)
    public Uni<Wallet> update(@PathParam("walletId") String walletId, WalletRequests.Patch patch) {
        String methodId = patch == null || patch.autoRecharge() == null ? null : patch.autoRecharge().paymentMethodId();
        if (methodId == null || methodId.isEmpty()) {
            return wallets.update(current.tenantId(), walletId, patch);
        }
        // The method must be the tenant's own before the wallet names it (another tenant's is a 404, like its wallets).
        return paymentMethods.usable(current.tenantId(), methodId).chain(m -> wallets.update(current.tenantId(), walletId, patch));
    }

    @POST
    @Path("/wallets/{walletId}/credits")
    @Consumes(MediaType.APPLICATION_JSON)
    @Allowed(Role.OWNER)
    public Uni<Response> credit(@PathParam("walletId") String walletId,
            @HeaderParam(IdempotencyKey.HEADER) String idempotencyKey, WalletRequests.Credit credit) {
        return wallets.credit(current.tenantId(), walletId, idempotencyKey, credit)
                .map(result -> Response.ok(result).header(IdempotencyKey.REPLAYED_HEADER, String.valueOf(result.replayed())).build());
    }
}
