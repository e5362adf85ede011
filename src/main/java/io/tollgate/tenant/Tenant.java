package io.tollgate.tenant;

import org.eclipse.microprofile.openapi.annotations.media.Schema;

/** A customer of Tollgate: a messaging or calling platform's account. */
@Schema(description = "A customer of Tollgate: a messaging or calling platform's account.")
public record Tenant(
        @Schema(description = "The tenant's id: `t_` and 20 characters of `a–z2–7`.", examples = "t_jxj73oh5div2x3x3sdrm") String id,
        @Schema(description = "Display name.", examples = "Acme Messaging") String name,
        @Schema(description = "When the tenant was created.") java.time.Instant createdAt) {
}
