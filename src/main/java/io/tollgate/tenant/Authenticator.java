package io.tollgate.tenant;

import io.smallrye.mutiny.Uni;
import io.tollgate.infra.http.ProblemException;
import io.tollgate.infra.http.ProblemType;
import jakarta.inject.Singleton;
import java.util.Optional;

/**
 * Who is calling and for which tenant, from the {@code Authorization: Bearer <key>} and {@code Tollgate-Tenant}
 * headers. Shared by the REST filter ({@link AuthFilter}) and the hot path's own route, so both answer alike.
 * Errors ({@link ProblemException}): {@code unauthenticated} (401: missing, malformed, unknown or revoked key),
 * {@code forbidden} (403: role not allowed, or a tenant key naming another tenant), {@code tenant-not-found}.
 */
@Singleton
public class Authenticator {
    public static final String TENANT_HEADER = "Tollgate-Tenant";
    private static final int SECRET_MAX_CHARS = 200;

    /** The caller and the tenant it acts for; {@code tenantId} is null for an admin key that named none. */
    public record Acting(Caller caller, String tenantId) {
    }

    private final ApiKeyService apiKeys;
    private final TenantService tenants;

    public Authenticator(ApiKeyService apiKeys, TenantService tenants) {
        this.apiKeys = apiKeys;
        this.tenants = tenants;
    }

    /** {@code allowed} null: no role is allowed except admin (a method without {@link Allowed}). */
    public Uni<Acting> authenticate(String authorization, String namedTenant, Role[] allowed) {
        if (authorization == null || !authorization.startsWith("Bearer ") || authorization.length() > SECRET_MAX_CHARS) {
            return fail(ProblemType.UNAUTHENTICATED, "send Authorization: Bearer <API key>");
        }
        return apiKeys.resolve(authorization.substring("Bearer ".length()).trim())
                .chain(found -> authorise(found, namedTenant, allowed));
    }

    private Uni<Acting> authorise(Optional<Caller> found, String named, Role[] allowed) {
        if (found.isEmpty()) {
            return fail(ProblemType.UNAUTHENTICATED, "the API key is unknown or revoked");
        }
        Caller caller = found.get();
        if (!caller.isAdmin() && !isAllowed(caller.role(), allowed)) {
            return fail(ProblemType.FORBIDDEN, "role " + caller.role().json() + " may not do this");
        }
        if (!caller.isAdmin()) {
            if (named != null && !named.equals(caller.tenantId())) {
                return fail(ProblemType.FORBIDDEN, TENANT_HEADER + " may only name the key's own tenant");
            }
            return Uni.createFrom().item(new Acting(caller, caller.tenantId()));
        }
        if (named == null) {
            return Uni.createFrom().item(new Acting(caller, null));
        }
        return tenants.get(named).map(tenant -> new Acting(caller, tenant.id()));
    }

    private static boolean isAllowed(Role role, Role[] allowed) {
        if (allowed != null) {
            for (Role r : allowed) {
                if (r == role) {
                    return true;
                }
            }
        }
        return false;
    }

    private static <T> Uni<T> fail(ProblemType type, String detail) {
        return Uni.createFrom().failure(new ProblemException(type, detail));
    }
}
