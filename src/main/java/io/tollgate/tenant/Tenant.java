package io.tollgate.tenant;

/** A customer of Tollgate: a messaging or calling platform's account. */
public record Tenant(String id, String name, java.time.Instant createdAt) {
}
