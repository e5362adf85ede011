package io.tollgate.tenant;

import com.fasterxml.jackson.annotation.JsonInclude;

/** An API key as listed: never its secret. {@code secret} is filled only in the answer that creates it. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record ApiKey(String id, String tenantId, Role role, String name, java.time.Instant createdAt, java.time.Instant revokedAt, String secret) {
}
