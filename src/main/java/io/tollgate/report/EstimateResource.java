package io.tollgate.report;

import static io.tollgate.wallet.WalletResource.WALLET_ID;

import io.smallrye.mutiny.Uni;
import io.tollgate.infra.http.ProblemType;
import io.tollgate.infra.http.Problems;
import io.tollgate.tenant.Allowed;
import io.tollgate.tenant.CurrentCaller;
import io.tollgate.tenant.Role;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.parameters.Parameter;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/** Forecasts from the live balance and the ledger's aggregates: a wallet's estimates and the tenant's balance breakdown. */
@Path("/v1")
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "Estimates", description = "What balances still buy and how long they last: forecasts from the live balance and "
        + "the ledger's daily and monthly totals, and every wallet's balance and usage this month.")
public class EstimateResource {
    private final EstimateService estimates;
    private final CurrentCaller current;

    public EstimateResource(EstimateService estimates, CurrentCaller current) {
        this.estimates = estimates;
        this.current = current;
    }

    @GET
    @Path("/wallets/{walletId}/estimates")
    @Allowed({Role.VIEWER, Role.OWNER})
    @Operation(summary = "A wallet's estimates: units left per item, runway, this month's projection, next auto-recharge",
            description = "The live balance from Redis against the rate card in the wallet's currency (units left per item and "
                    + "destination, manual and automated) and against the average daily usage of the 7 tenant-local days before "
                    + "today from the ledger's daily totals (runway to the automation floor and to zero, the month's projected "
                    + "usage, when auto-recharge next triggers). Formulas: docs/concepts/estimates.md.")
    @Problems(ProblemType.WALLET_NOT_FOUND)
    public Uni<Estimates.WalletEstimate> estimates(@Parameter(description = WALLET_ID) @PathParam("walletId") String walletId) {
        return estimates.estimate(current.tenantId(), walletId);
    }

    @GET
    @Path("/balance-breakdown")
    @Allowed({Role.VIEWER, Role.OWNER})
    @Operation(summary = "Every wallet's live balance and this month's usage per channel, with totals per currency",
            description = "At most 1000 wallets, sorted by id (as the wallet list); `truncated` says when the tenant holds more. "
                    + "Balances are live from Redis; usage is this tenant-local month's from the ledger's monthly totals, read "
                    + "for all wallets in one query.")
    public Uni<Estimates.BalanceBreakdown> breakdown() {
        return estimates.breakdown(current.tenantId());
    }
}
