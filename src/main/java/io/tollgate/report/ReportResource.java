package io.tollgate.report;

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
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/** Where the money went: spending and movements per tenant-local month, and the zone that defines the months. */
@Path("/v1")
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "Reports")
public class ReportResource {
    private final SpendingService spending;
    private final TenantZones zones;
    private final CurrentCaller current;

    public ReportResource(SpendingService spending, TenantZones zones, CurrentCaller current) {
        this.spending = spending;
        this.zones = zones;
        this.current = current;
    }

    /** The tenant's report settings: its IANA time zone. */
    public record Settings(String timeZone) {
    }

    @GET
    @Path("/report-settings")
    @Allowed({Role.VIEWER, Role.OWNER})
    public Uni<Settings> settings() {
        return zones.zoneOf(current.tenantId()).map(zone -> new Settings(zone.getId()));
    }

    @PUT
    @Path("/report-settings")
    @Consumes(MediaType.APPLICATION_JSON)
    @Allowed(Role.OWNER)
    public Uni<Settings> setSettings(Settings settings) {
        if (settings == null) {
            throw new io.tollgate.infra.http.ProblemException(io.tollgate.infra.http.ProblemType.INVALID_REQUEST, "a body is required");
        }
        return zones.setZone(current.tenantId(), settings.timeZone()).map(zone -> new Settings(zone.getId()));
    }

    @GET
    @Path("/wallets/{walletId}/spending")
    @Allowed({Role.VIEWER, Role.OWNER})
    public Uni<Spending.WalletSpending> walletSpending(@PathParam("walletId") String walletId, @QueryParam("month") String month) {
        return spending.walletSpending(current.tenantId(), walletId, month);
    }

    @GET
    @Path("/spending")
    @Allowed({Role.VIEWER, Role.OWNER})
    public Uni<Spending.TenantSpending> tenantSpending(@QueryParam("month") String month) {
        return spending.tenantSpending(current.tenantId(), month);
    }

    @GET
    @Path("/wallets/{walletId}/movements")
    @Allowed({Role.VIEWER, Role.OWNER})
    public Uni<Spending.WalletMovements> walletMovements(@PathParam("walletId") String walletId, @QueryParam("months") Integer months) {
        return spending.walletMovements(current.tenantId(), walletId, months);
    }

    @GET
    @Path("/movements")
    @Allowed({Role.VIEWER, Role.OWNER})
    public Uni<Spending.TenantMovements> tenantMovements(@QueryParam("months") Integer months) {
        return spending.tenantMovements(current.tenantId(), months);
    }
}
