package io.tollgate.tenant;

import com.fasterxml.jackson.annotation.JsonValue;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

/** What an API key may do. {@code ADMIN} may do everything, for every tenant. */
@Schema(description = "What an API key may do. `pipeline`: debit and reverse. `viewer`: read wallets, balances, rate cards and "
        + "alert settings. `owner`: read, plus settings, credits, rate cards, payment methods and API keys of its tenant. "
        + "`admin`: everything, for every tenant (only the bootstrap key from configuration).")
public enum Role {
    /** Debit and reverse: the messaging pipeline's key. */
    PIPELINE,
    /** Read wallets, balances and rate cards. */
    VIEWER,
    /** Read, plus wallet settings, credits, rate cards and API keys of its tenant. */
    OWNER,
    /** Everything, for every tenant; only the bootstrap key from configuration. */
    ADMIN;

    @JsonValue
    public String json() {
        return name().toLowerCase(java.util.Locale.ROOT);
    }

    public static Role parse(String text) {
        for (Role role : values()) {
            if (role.json().equals(text)) {
                return role;
            }
        }
        return null;
    }
}
