package io.tollgate.ledger;

import io.smallrye.mutiny.Uni;
import io.tollgate.infra.http.ProblemException;
import io.tollgate.infra.http.ProblemType;
import io.tollgate.tenant.Allowed;
import jakarta.ws.rs.DefaultValue;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/** Admin only: compare Redis with the ledger, and rebuild a wallet's Redis state from the ledger. */
@Path("/v1/admin")
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "Reconciliation")
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
    public Uni<Reconciliation.Report> reconcile() {
        return reconciliation.run();
    }

    @POST
    @Path("/wallets/{walletId}/rebuild")
    @Allowed({})
    public Uni<WalletRebuild.Result> rebuild(@PathParam("walletId") String walletId, @QueryParam("force") @DefaultValue("false") String force) {
        // Spelled out: a boolean parameter would read any other word ("yes", "1") as false without a word.
        if (!force.equals("true") && !force.equals("false")) {
            throw new ProblemException(ProblemType.INVALID_REQUEST, "force must be true or false");
        }
        return rebuild.rebuild(walletId, force.equals("true"));
    }
}
