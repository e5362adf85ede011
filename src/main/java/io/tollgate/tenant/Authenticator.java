package io.tollgate.tenant;

import io.smallrye.mutiny.Uni;
import io.tollgate.infra.Ids;
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
        String secretHash;
        Acting now;
        try {
            secretHash = secretHashOf(authorization);
            now = known(secretHash, namedTenant, allowed);
        } catch (ProblemException e) {
            return Uni.createFrom().failure(e);
        }
        if (now != null) {
            return Uni.createFrom().item(now);
        }
        return apiKeys.resolve(secretHash).chain(found -> {
            Acting acting = decide(found, namedTenant, allowed);
            return acting != null ? Uni.createFrom().item(acting)
                    : tenants.get(namedTenant).map(tenant -> new Acting(found.get(), tenant.id()));
        });
    }

    /**
     * What {@link #authenticate} answers, when this pod knows it without a lookup (a key resolved within the cache
     * TTL, not an admin naming a tenant); null otherwise. The same errors, thrown. Lets the debit route skip a Uni
     * step per request.
     */
    public Acting authenticateNow(String authorization, String namedTenant, Role[] allowed) {
        return known(secretHashOf(authorization), namedTenant, allowed);
    }

    private Acting known(String secretHash, String namedTenant, Role[] allowed) {
        Optional<Caller> known = apiKeys.resolvedNow(secretHash);
        return known == null ? null : decide(known, namedTenant, allowed);
    }

    /** The SHA-256 of the Bearer secret, which is all Tollgate stores and looks up. */
    private static String secretHashOf(String authorization) {
        if (authorization == null || !authorization.startsWith("Bearer ") || authorization.length() > SECRET_MAX_CHARS) {
            throw new ProblemException(ProblemType.UNAUTHENTICATED, "send Authorization: Bearer <API key>");
        }
        return Ids.sha256Hex(authorization.substring("Bearer ".length()).trim());
    }

    /** The caller acting, an error thrown, or null when an admin names a tenant that must be looked up first. */
    private static Acting decide(Optional<Caller> found, String named, Role[] allowed) {
        if (found.isEmpty()) {
            throw new ProblemException(ProblemType.UNAUTHENTICATED, "the API key is unknown or revoked");
        }
        Caller caller = found.get();
        if (!caller.isAdmin() && !isAllowed(caller.role(), allowed)) {
            throw new ProblemException(ProblemType.FORBIDDEN, forbiddenDetail(caller.role(), allowed));
        }
        if (!caller.isAdmin()) {
            if (named != null && !named.equals(caller.tenantId())) {
                throw new ProblemException(ProblemType.FORBIDDEN, TENANT_HEADER + " may only name the key's own tenant");
            }
            return new Acting(caller, caller.tenantId());
        }
        return named == null ? new Acting(caller, null) : null;
    }

    /** Names the roles the operation needs and the key's own, e.g. "this operation needs an owner or admin key; this key is a viewer key". */
    static String forbiddenDetail(Role role, Role[] allowed) {
        java.util.List<String> needed = new java.util.ArrayList<>();
        if (allowed != null) {
            for (Role r : allowed) {
                needed.add(r.json());
            }
        }
        needed.add(Role.ADMIN.json());
        String roles = needed.size() == 1 ? needed.get(0)
                : String.join(", ", needed.subList(0, needed.size() - 1)) + " or " + needed.get(needed.size() - 1);
        return "this operation needs " + article(needed.get(0)) + " " + roles + " key; this key is " + article(role.json())
                + " " + role.json() + " key";
    }

    private static String article(String word) {
        return "aeiou".indexOf(word.charAt(0)) >= 0 ? "an" : "a";
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
}
