package io.tollgate.wallet;

import com.fasterxml.jackson.annotation.JsonValue;
import java.util.Locale;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

/** A suspended wallet declines outbound traffic; usage that already happened (force, inbound) is still recorded. */
@Schema(description = "`active`, or `suspended`: outbound traffic is declined; usage that already happened (forced, inbound) is still recorded.")
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
