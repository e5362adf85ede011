package io.tollgate.report;

import static io.tollgate.wallet.WalletResource.WALLET_ID;

import io.smallrye.mutiny.Uni;
import io.tollgate.ledger.TenantZones;
import io.tollgate.tenant.Allowed;
import io.tollgate.tenant.CurrentCaller;
import io.tollgate.tenant.Role;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import io.tollgate.infra.http.ProblemType;
import io.tollgate.infra.http.Problems;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.parameters.Parameter;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/** Where the money went: spending and movements per tenant-local month, and the zone that defines the months. */
@Path("/v1")
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "Reports", description = "Where the money went, from the ledger: spending and movements per tenant-local month.")
public class ReportResource {
    private static final String MONTH = "A month of the last 24, `YYYY-MM` in the tenant's time zone; absent: this month and the two before.";
    private static final String MONTHS = "How many months, 1..24, newest first, ending with this month (default 12).";

    private final SpendingService spending;
    private final TenantZones zones;
    private final CurrentCaller current;

    public ReportResource(SpendingService spending, TenantZones zones, CurrentCaller current) {
        this.spending = spending;
        this.zones = zones;
        this.current = current;
    }

    /** The tenant's report settings: its IANA time zone. */
    @Schema(name = "ReportSettings", description = "The tenant's report settings.")
    public record Settings(
            @Schema(description = "The IANA time zone that decides the tenant's months and days (default `UTC`). A change "
                    + "applies to movements recorded after it; months already aggregated keep their zone.",
                    examples = "Asia/Kathmandu") String timeZone) {
    }

    @GET
    @Path("/report-settings")
    @Allowed({Role.VIEWER, Role.OWNER})
    @Operation(summary = "Get the tenant's report settings")
    public Uni<Settings> settings() {
        return zones.zoneOf(current.tenantId()).map(zone -> new Settings(zone.getId()));
    }

    @PUT
    @Path("/report-settings")
    @Consumes(MediaType.APPLICATION_JSON)
    @Allowed(Role.OWNER)
    @Operation(summary = "Set the tenant's time zone for reports")
    public Uni<Settings> setSettings(Settings settings) {
        if (settings == null) {
            throw new io.tollgate.infra.http.ProblemException(ProblemType.INVALID_REQUEST, "a body is required");
        }
        return zones.setZone(current.tenantId(), settings.timeZone()).map(zone -> new Settings(zone.getId()));
    }

    @GET
    @Path("/wallets/{walletId}/spending")
    @Allowed({Role.VIEWER, Role.OWNER})
    @Operation(summary = "A wallet's spending: this month and the two before, or one month of the last 24",
            description = "By item and by channel, with counts, net of reversals (a reversal counts in its debit's month).")
    @Problems(ProblemType.WALLET_NOT_FOUND)
    public Uni<Spending.WalletSpending> walletSpending(@Parameter(description = WALLET_ID) @PathParam("walletId") String walletId,
            @Parameter(description = MONTH) @QueryParam("month") String month) {
        return spending.walletSpending(current.tenantId(), walletId, month);
    }

    @GET
    @Path("/spending")
    @Allowed({Role.VIEWER, Role.OWNER})
    @Operation(summary = "The tenant's spending per currency: this month and the two before, or one month of the last 24")
    public Uni<Spending.TenantSpending> tenantSpending(@Parameter(description = MONTH) @QueryParam("month") String month) {
        return spending.tenantSpending(current.tenantId(), month);
    }

    @GET
    @Path("/wallets/{walletId}/movements")
    @Allowed({Role.VIEWER, Role.OWNER})
    @Operation(summary = "A wallet's funds added against usage per month, for up to 24 months")
    @Problems(ProblemType.WALLET_NOT_FOUND)
    public Uni<Spending.WalletMovements> walletMovements(@Parameter(description = WALLET_ID) @PathParam("walletId") String walletId,
            @Parameter(description = MONTHS) @QueryParam("months") Integer months) {
        return spending.walletMovements(current.tenantId(), walletId, months);
    }

    @GET
    @Path("/movements")
    @Allowed({Role.VIEWER, Role.OWNER})
    @Operation(summary = "The tenant's funds added against usage per month and currency, for up to 24 months")
    public Uni<Spending.TenantMovements> tenantMovements(@Parameter(description = MONTHS) @QueryParam("months") Integer months) {
        return spending.tenantMovements(current.tenantId(), months);
    }
}
