package io.tollgate.debit;

import com.fasterxml.jackson.annotation.JsonValue;
import java.util.Locale;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

/** Why a debit was declined. A decline moves no money and is not an event; it is counted in metrics. */
@Schema(description = "Why a debit was declined: `insufficient_funds` (below the floor), `automation_floor` (automated traffic "
        + "below the automation floor), `wallet_suspended`.")
public enum DeclineReason {
    INSUFFICIENT_FUNDS("The message could not be sent because the prepaid balance does not have enough funds. "
            + "Top up the balance or enable auto-recharge."),
    AUTOMATION_FLOOR("Automated sending is paused because the prepaid balance is below the automation floor. "
            + "Top up the balance or enable auto-recharge; manual sending can continue down to the floor."),
    WALLET_SUSPENDED("The wallet is suspended; outbound traffic is paused until an owner reactivates it.");

    private final String message;

    DeclineReason(String message) {
        this.message = message;
    }

    public String message() {
        return message;
    }

    @JsonValue
    public String code() {
        return name().toLowerCase(Locale.ROOT);
    }

    static DeclineReason fromScript(String reason) {
        return valueOf(reason.toUpperCase(Locale.ROOT));
    }
}
