package io.tollgate.tenant;

import com.fasterxml.jackson.annotation.JsonValue;

/** What an API key may do. {@code ADMIN} may do everything, for every tenant. */
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
