package io.tollgate.tenant;

import com.fasterxml.jackson.annotation.JsonInclude;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

/** An API key as listed: never its secret. {@code secret} is filled only in the answer that creates it. */
@JsonInclude(JsonInclude.Include.NON_NULL)
@Schema(description = "An API key of a tenant. Its secret appears only in the answer that creates it.")
public record ApiKey(
        @Schema(description = "The key's id (`key_…`): names the key, is not the secret.", examples = "key_7whgus5tu6pg7ddvfzbz") String id,
        @Schema(description = "The tenant the key belongs to.") String tenantId,
        @Schema(description = "What the key may do.") Role role,
        @Schema(description = "A label for people; `\"\"` if none was given.") String name,
        @Schema(description = "When the key was created.") java.time.Instant createdAt,
        @Schema(description = "When the key was revoked; absent while it is active.") java.time.Instant revokedAt,
        @Schema(description = "The secret to send as `Authorization: Bearer <secret>`; only in the answer that creates the key.",
                examples = "tg_ya5r1BUmEfOP-kRPFU8PGpUrso2kcTh0azNLcNXEa6w") String secret) {
}
