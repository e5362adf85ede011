package io.tollgate.alert;

import static io.tollgate.wallet.WalletResource.WALLET_ID;

import io.smallrye.mutiny.Uni;
import io.tollgate.infra.http.ProblemType;
import io.tollgate.infra.http.Problems;
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
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.parameters.Parameter;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/** Alert settings of the caller's tenant (owner changes them, viewer and owner read) and its delivery log. */
@Path("/v1")
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "Alerts", description = "Who is told about low balances and top-ups (email, signed webhooks), and the delivery log.")
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
    @Operation(summary = "Get the tenant's alert email recipients")
    public Uni<AlertRequests.TenantSettings> tenantSettings() {
        return settings.emails(current.tenantId());
    }

    @PUT
    @Path("/alert-settings")
    @Consumes(MediaType.APPLICATION_JSON)
    @Allowed(Role.OWNER)
    @Operation(summary = "Replace the tenant's alert email recipients", description = "The whole list; `[]` sends no more email.")
    public Uni<AlertRequests.TenantSettings> setTenantSettings(AlertRequests.TenantSettings request) {
        return settings.setEmails(current.tenantId(), request);
    }

    @GET
    @Path("/wallets/{walletId}/alert-settings")
    @Allowed({Role.VIEWER, Role.OWNER})
    @Operation(summary = "Get a wallet's low-balance alert levels")
    @Problems(ProblemType.WALLET_NOT_FOUND)
    public Uni<AlertRequests.WalletSettings> walletSettings(@Parameter(description = WALLET_ID) @PathParam("walletId") String walletId) {
        return settings.levels(current.tenantId(), walletId);
    }

    @PUT
    @Path("/wallets/{walletId}/alert-settings")
    @Consumes(MediaType.APPLICATION_JSON)
    @Allowed(Role.OWNER)
    @Operation(summary = "Replace a wallet's low-balance alert levels", description = "All of them; `[]` turns low-balance alerts "
            + "off. Every pod sees the change within `tollgate.alerts.levels-cache-ttl` (5 s).")
    @Problems(ProblemType.WALLET_NOT_FOUND)
    public Uni<AlertRequests.WalletSettings> setWalletSettings(@Parameter(description = WALLET_ID) @PathParam("walletId") String walletId,
            AlertRequests.WalletSettings request) {
        return settings.setLevels(current.tenantId(), walletId, request);
    }

    @POST
    @Path("/webhook-endpoints")
    @Consumes(MediaType.APPLICATION_JSON)
    @Allowed(Role.OWNER)
    @Operation(summary = "Add a webhook endpoint for alerts", description = "The answer carries the signature key (`secret`); it "
            + "is shown only here. At most 10 active endpoints per tenant.")
    @APIResponse(responseCode = "201", description = "The endpoint, with its secret.", content = @Content(mediaType = MediaType.APPLICATION_JSON,
            schema = @Schema(implementation = AlertRequests.Endpoint.class)))
    @Problems(ProblemType.WEBHOOK_ENDPOINT_LIMIT)
    public Uni<Response> createEndpoint(AlertRequests.NewEndpoint request) {
        return settings.createEndpoint(current.tenantId(), request).map(e -> Response.status(201).entity(e).build());
    }

    @GET
    @Path("/webhook-endpoints")
    @Allowed({Role.VIEWER, Role.OWNER})
    @Operation(summary = "List the tenant's webhook endpoints", description = "The active ones, oldest first, without secrets.")
    public Uni<List<AlertRequests.Endpoint>> endpoints() {
        return settings.endpoints(current.tenantId());
    }

    @DELETE
    @Path("/webhook-endpoints/{endpointId}")
    @Allowed(Role.OWNER)
    @Operation(summary = "Delete a webhook endpoint", description = "Nothing more is sent to it; deliveries still pending for it "
            + "end as `failed`; the delivery log keeps naming it.")
    @APIResponse(responseCode = "204", description = "Deleted.")
    @Problems(ProblemType.WEBHOOK_ENDPOINT_NOT_FOUND)
    public Uni<Response> deleteEndpoint(@Parameter(description = "The endpoint's id (`we_…`); unknown, deleted or another "
            + "tenant's is not found.") @PathParam("endpointId") String endpointId) {
        return settings.deleteEndpoint(current.tenantId(), endpointId).map(x -> Response.noContent().build());
    }

    @GET
    @Path("/alert-deliveries")
    @Allowed({Role.VIEWER, Role.OWNER})
    @Operation(summary = "List the tenant's alert deliveries", description = "Newest first.")
    public Uni<List<AlertRequests.Delivery>> deliveries(@Parameter(description = "How many, 1–500; default 100.",
            schema = @Schema(minimum = "1", maximum = "500", defaultValue = "100")) @QueryParam("limit") Integer limit) {
        return settings.deliveries(current.tenantId(), limit);
    }
}
