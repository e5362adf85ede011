package io.tollgate.ledger;

import io.smallrye.mutiny.Uni;
import io.tollgate.infra.http.ProblemException;
import io.tollgate.infra.http.ProblemType;
import io.tollgate.infra.http.Problems;
import io.tollgate.tenant.Allowed;
import jakarta.ws.rs.DefaultValue;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.parameters.Parameter;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/** Admin only: compare Redis with the ledger, and rebuild a wallet's Redis state from the ledger. */
@Path("/v1/admin")
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "Reconciliation", description = "Admin only: compare Redis with the PostgreSQL ledger and rebuild a wallet from it. "
        + "Not tenant-scoped: no Tollgate-Tenant header is needed.")
public class LedgerAdminResource {
    private final Reconciliation reconciliation;
    private final WalletRebuild rebuild;

    public LedgerAdminResource(Reconciliation reconciliation, WalletRebuild rebuild) {
        this.reconciliation = reconciliation;
        this.rebuild = rebuild;
    }

    @GET
    @Path("/reconciliation")
    @Allowed({})
    @Operation(summary = "Compare every wallet in the ledger with Redis, now", description = "On the pod that serves the "
            + "request; also updates its `tollgate.reconciliation.drifting.wallets` gauge and logs the problems.")
    public Uni<Reconciliation.Report> reconcile() {
        return reconciliation.run();
    }

    @POST
    @Path("/wallets/{walletId}/rebuild")
    @Allowed({})
    @Operation(summary = "Rebuild a wallet's Redis state from the ledger", description = "Balance and `seq` of its last event, "
            + "its settings, its alert flags, its place in the tenant's wallet list; idempotency and debit records are not "
            + "restored. No body; appends no event.")
    @Problems({ProblemType.WALLET_NOT_FOUND, ProblemType.WALLET_EXISTS, ProblemType.REDIS_AHEAD})
    public Uni<WalletRebuild.Result> rebuild(@Parameter(description = "The wallet's id (`w_…`), of any tenant.") @PathParam("walletId") String walletId,
            @Parameter(description = "`true` replaces a wallet that exists in Redis; `true` or `false` only.",
                    schema = @Schema(enumeration = {"true", "false"}, defaultValue = "false"))
            @QueryParam("force") @DefaultValue("false") String force) {
        // Spelled out: a boolean parameter would read any other word ("yes", "1") as false without a word.
        if (!force.equals("true") && !force.equals("false")) {
            throw new ProblemException(ProblemType.INVALID_REQUEST, "force must be true or false");
        }
        return rebuild.rebuild(walletId, force.equals("true"));
    }
}
