package io.tollgate.tenant;

/** Who is calling: the key's id, its tenant (null for admin) and its role. */
public record Caller(String keyId, String tenantId, Role role) {
    public boolean isAdmin() {
        return role == Role.ADMIN;
    }
}
