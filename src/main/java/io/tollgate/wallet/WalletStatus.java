package io.tollgate.wallet;

import com.fasterxml.jackson.annotation.JsonValue;
import java.util.Locale;

/** A suspended wallet declines outbound traffic; usage that already happened (force, inbound) is still recorded. */
public enum WalletStatus {
    ACTIVE, SUSPENDED;

    @JsonValue
    public String json() {
        return name().toLowerCase(Locale.ROOT);
    }

    static WalletStatus parse(String text) {
        return valueOf(text.toUpperCase(Locale.ROOT));
    }
}
