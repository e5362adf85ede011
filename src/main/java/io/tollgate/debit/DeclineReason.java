package io.tollgate.debit;

import com.fasterxml.jackson.annotation.JsonValue;
import java.util.Locale;

/** Why a debit was declined. A decline moves no money and is not an event; it is counted in metrics. */
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
