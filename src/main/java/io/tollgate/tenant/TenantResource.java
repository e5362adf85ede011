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
import java.util.List;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/** Tenants (admin) and the API keys of the caller's tenant (owner, or admin with Tollgate-Tenant). */
@Path("/v1")
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "Tenants and API keys")
public class TenantResource {
    private final TenantService tenants;
    private final ApiKeyService apiKeys;
    private final CurrentCaller current;

    public record CreateTenant(String name) {
    }

    public record CreateKey(Role role, String name) {
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
    public Uni<Response> createTenant(CreateTenant body) {
        return tenants.create(body == null ? null : body.name()).map(t -> Response.status(201).entity(t).build());
    }

    @GET
    @Path("/tenants")
    @Allowed({})
    public Uni<List<Tenant>> listTenants() {
        return tenants.list();
    }

    @GET
    @Path("/tenants/{tenantId}")
    @Allowed({})
    public Uni<Tenant> getTenant(@PathParam("tenantId") String tenantId) {
        return tenants.get(tenantId);
    }

    @POST
    @Path("/api-keys")
    @Consumes(MediaType.APPLICATION_JSON)
    @Allowed(Role.OWNER)
    public Uni<Response> createKey(CreateKey body) {
        return apiKeys.create(current.tenantId(), body == null ? null : body.role(), body == null ? null : body.name())
                .map(k -> Response.status(201).entity(k).build());
    }

    @GET
    @Path("/api-keys")
    @Allowed(Role.OWNER)
    public Uni<List<ApiKey>> listKeys() {
        return apiKeys.list(current.tenantId());
    }

    @DELETE
    @Path("/api-keys/{keyId}")
    @Allowed(Role.OWNER)
    public Uni<ApiKey> revokeKey(@PathParam("keyId") String keyId) {
        return apiKeys.revoke(current.tenantId(), keyId);
    }
}
