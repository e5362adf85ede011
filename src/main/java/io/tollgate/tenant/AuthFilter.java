package io.tollgate.tenant;

import io.smallrye.mutiny.Uni;
import io.tollgate.infra.http.Problem;
import io.tollgate.infra.http.ProblemType;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.container.ResourceInfo;
import jakarta.ws.rs.core.Response;
import java.util.Arrays;
import java.util.Optional;
import org.jboss.resteasy.reactive.server.ServerRequestFilter;

/**
 * Authenticates every API request by its {@code Authorization: Bearer <key>} header and checks the method's
 * {@link Allowed} roles. Missing or unknown key: 401; role not allowed: 403. Admin keys act for the tenant named
 * in {@code Tollgate-Tenant}; a tenant key may only name its own tenant there.
 */
public class AuthFilter {
    public static final String TENANT_HEADER = "Tollgate-Tenant";
    private static final int SECRET_MAX_CHARS = 200;

    private final ApiKeyService apiKeys;
    private final TenantService tenants;
    private final CurrentCaller current;

    public AuthFilter(ApiKeyService apiKeys, TenantService tenants, CurrentCaller current) {
        this.apiKeys = apiKeys;
        this.tenants = tenants;
        this.current = current;
    }

    @ServerRequestFilter
    public Uni<Response> authenticate(ContainerRequestContext request, ResourceInfo resource) {
        if (resource.getResourceMethod() != null && resource.getResourceMethod().isAnnotationPresent(Public.class)) {
            return Uni.createFrom().nullItem();
        }
        String header = request.getHeaderString("Authorization");
        if (header == null || !header.startsWith("Bearer ") || header.length() > SECRET_MAX_CHARS) {
            return answer(ProblemType.UNAUTHENTICATED, "send Authorization: Bearer <API key>");
        }
        return apiKeys.resolve(header.substring("Bearer ".length()).trim())
                .chain(caller -> authorise(request, resource, caller));
    }

    private Uni<Response> authorise(ContainerRequestContext request, ResourceInfo resource, Optional<Caller> found) {
        if (found.isEmpty()) {
            return answer(ProblemType.UNAUTHENTICATED, "the API key is unknown or revoked");
        }
        Caller caller = found.get();
        Allowed allowed = resource.getResourceMethod() == null ? null : resource.getResourceMethod().getAnnotation(Allowed.class);
        if (!caller.isAdmin() && (allowed == null || Arrays.stream(allowed.value()).noneMatch(r -> r == caller.role()))) {
            return answer(ProblemType.FORBIDDEN, "role " + caller.role().json() + " may not do this");
        }
        String named = request.getHeaderString(TENANT_HEADER);
        if (!caller.isAdmin()) {
            if (named != null && !named.equals(caller.tenantId())) {
                return answer(ProblemType.FORBIDDEN, TENANT_HEADER + " may only name the key's own tenant");
            }
            current.set(caller, caller.tenantId());
            return Uni.createFrom().nullItem();
        }
        if (named == null) {
            current.set(caller, null);
            return Uni.createFrom().nullItem();
        }
        return tenants.get(named).map(tenant -> {
            current.set(caller, tenant.id());
            return (Response) null;
        });
    }

    private static Uni<Response> answer(ProblemType type, String detail) {
        return Uni.createFrom().item(Problem.of(type, detail).toResponse());
    }
}
