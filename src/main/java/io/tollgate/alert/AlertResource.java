package io.tollgate.alert;

import io.smallrye.mutiny.Uni;
import io.tollgate.tenant.Allowed;
import io.tollgate.tenant.CurrentCaller;
import io.tollgate.tenant.Role;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.util.List;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/** Alert settings of the caller's tenant (owner changes them, viewer and owner read) and its delivery log. */
@Path("/v1")
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "Alerts")
public class AlertResource {
    private final AlertSettings settings;
    private final CurrentCaller current;

    public AlertResource(AlertSettings settings, CurrentCaller current) {
        this.settings = settings;
        this.current = current;
    }

    @GET
    @Path("/alert-settings")
    @Allowed({Role.VIEWER, Role.OWNER})
    public Uni<AlertRequests.TenantSettings> tenantSettings() {
        return settings.emails(current.tenantId());
    }

    @PUT
    @Path("/alert-settings")
    @Consumes(MediaType.APPLICATION_JSON)
    @Allowed(Role.OWNER)
    public Uni<AlertRequests.TenantSettings> setTenantSettings(AlertRequests.TenantSettings request) {
        return settings.setEmails(current.tenantId(), request);
    }

    @GET
    @Path("/wallets/{walletId}/alert-settings")
    @Allowed({Role.VIEWER, Role.OWNER})
    public Uni<AlertRequests.WalletSettings> walletSettings(@PathParam("walletId") String walletId) {
        return settings.levels(current.tenantId(), walletId);
    }

    @PUT
    @Path("/wallets/{walletId}/alert-settings")
    @Consumes(MediaType.APPLICATION_JSON)
    @Allowed(Role.OWNER)
    public Uni<AlertRequests.WalletSettings> setWalletSettings(@PathParam("walletId") String walletId, AlertRequests.WalletSettings request) {
        return settings.setLevels(current.tenantId(), walletId, request);
    }

    @POST
    @Path("/webhook-endpoints")
    @Consumes(MediaType.APPLICATION_JSON)
    @Allowed(Role.OWNER)
    public Uni<Response> createEndpoint(AlertRequests.NewEndpoint request) {
        return settings.createEndpoint(current.tenantId(), request).map(e -> Response.status(201).entity(e).build());
    }

    @GET
    @Path("/webhook-endpoints")
    @Allowed({Role.VIEWER, Role.OWNER})
    public Uni<List<AlertRequests.Endpoint>> endpoints() {
        return settings.endpoints(current.tenantId());
    }

    @DELETE
    @Path("/webhook-endpoints/{endpointId}")
    @Allowed(Role.OWNER)
    public Uni<Response> deleteEndpoint(@PathParam("endpointId") String endpointId) {
        return settings.deleteEndpoint(current.tenantId(), endpointId).map(x -> Response.noContent().build());
    }

    @GET
    @Path("/alert-deliveries")
    @Allowed({Role.VIEWER, Role.OWNER})
    public Uni<List<AlertRequests.Delivery>> deliveries(@QueryParam("limit") Integer limit) {
        return settings.deliveries(current.tenantId(), limit);
    }
}
