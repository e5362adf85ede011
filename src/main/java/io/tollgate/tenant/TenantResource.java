package io.tollgate.tenant;

import io.smallrye.mutiny.Uni;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import io.tollgate.infra.http.ProblemType;
import io.tollgate.infra.http.Problems;
import java.util.List;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.parameters.Parameter;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/** Tenants (admin) and the API keys of the caller's tenant (owner, or admin with Tollgate-Tenant). */
@Path("/v1")
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "Tenants and API keys", description = "Tenants (admin only) and the API keys of a tenant (owner).")
public class TenantResource {
    private final TenantService tenants;
    private final ApiKeyService apiKeys;
    private final CurrentCaller current;

    @Schema(name = "TenantCreate", description = "A new tenant.")
    public record CreateTenant(
            @Schema(description = "Display name, 1–200 characters, not blank; stored trimmed.", required = true, examples = "Acme Messaging") String name) {
    }

    @Schema(name = "ApiKeyCreate", description = "A new API key of the acting tenant.")
    public record CreateKey(
            @Schema(description = "What the key may do: `pipeline`, `viewer` or `owner` (`admin` is refused).", required = true) Role role,
            @Schema(description = "A label for people, at most 200 characters.", examples = "ops") String name) {
    }

    public TenantResource(TenantService tenants, ApiKeyService apiKeys, CurrentCaller current) {
        this.tenants = tenants;
        this.apiKeys = apiKeys;
        this.current = current;
    }

    @POST
    @Path("/tenants")
    @Consumes(MediaType.APPLICATION_JSON)
    @Allowed({})
    @Operation(summary = "Create a tenant", description = "Not idempotent: a retry creates another tenant.")
    @APIResponse(responseCode = "201", description = "The tenant, created.", content = @Content(mediaType = MediaType.APPLICATION_JSON,
            schema = @Schema(implementation = Tenant.class)))
    public Uni<Response> createTenant(CreateTenant body) {
        return tenants.create(body == null ? null : body.name()).map(t -> Response.status(201).entity(t).build());
    }

    @GET
    @Path("/tenants")
    @Allowed({})
    @Operation(summary = "List tenants", description = "Sorted by id, at most 1000: with more, an arbitrary 1000 are listed.")
    public Uni<List<Tenant>> listTenants() {
        return tenants.list();
    }

    @GET
    @Path("/tenants/{tenantId}")
    @Allowed({})
    @Operation(summary = "Get a tenant")
    @Problems(ProblemType.TENANT_NOT_FOUND)
    public Uni<Tenant> getTenant(@Parameter(description = "The tenant's id (`t_…`).") @PathParam("tenantId") String tenantId) {
        return tenants.get(tenantId);
    }

    @POST
    @Path("/api-keys")
    @Consumes(MediaType.APPLICATION_JSON)
    @Allowed(Role.OWNER)
    @Operation(summary = "Create an API key for the acting tenant",
            description = "The answer carries the key's `secret`; it is shown only here. A tenant holds at most 100 active keys.")
    @APIResponse(responseCode = "201", description = "The key, with its secret.", content = @Content(mediaType = MediaType.APPLICATION_JSON,
            schema = @Schema(implementation = ApiKey.class)))
    @Problems(ProblemType.API_KEY_LIMIT)
    public Uni<Response> createKey(CreateKey body) {
        return apiKeys.create(current.tenantId(), body == null ? null : body.role(), body == null ? null : body.name())
                .map(k -> Response.status(201).entity(k).build());
    }

    @GET
    @Path("/api-keys")
    @Allowed(Role.OWNER)
    @Operation(summary = "List the tenant's API keys",
            description = "Oldest first, without secrets: the active keys and the 100 most recently revoked ones.")
    public Uni<List<ApiKey>> listKeys() {
        return apiKeys.list(current.tenantId());
    }

    @DELETE
    @Path("/api-keys/{keyId}")
    @Allowed(Role.OWNER)
    @Operation(summary = "Revoke an API key", description = "Effective on every pod within `tollgate.auth.cache-ttl` (2 s). "
            + "Revoking again changes nothing. Answers the key with its revocation time.")
    @Problems(ProblemType.NOT_FOUND)
    public Uni<ApiKey> revokeKey(@Parameter(description = "The key's id (`key_…`); another tenant's key is not found.") @PathParam("keyId") String keyId) {
        return apiKeys.revoke(current.tenantId(), keyId);
    }
}
