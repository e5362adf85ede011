package io.tollgate.debit;

import com.fasterxml.jackson.annotation.JsonValue;
import io.tollgate.wallet.Currencies;
import java.util.Locale;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

/** Why a debit was declined. A decline moves no money and is not an event; it is counted in metrics. */
@Schema(description = "Why a debit was declined: `insufficient_funds` (below the floor), `automation_floor` (automated traffic "
        + "below the automation floor), `wallet_suspended`.")
public enum DeclineReason {
    /** The balance after the debit would fall below the wallet's floor. */
    INSUFFICIENT_FUNDS,
    /** An automated debit would leave the balance below the automation floor, and auto-recharge is off. */
    AUTOMATION_FLOOR,
    /** The wallet is suspended: outbound traffic is paused. */
    WALLET_SUSPENDED;

    @JsonValue
    public String code() {
        return name().toLowerCase(Locale.ROOT);
    }

    static DeclineReason fromScript(String reason) {
        return valueOf(reason.toUpperCase(Locale.ROOT));
    }

    /**
     * A sentence for people that says what was checked, with the numbers: e.g. "An automated debit of 16 USD would
     * leave 3.985 USD of the 19.985 USD balance, below the automation floor of 5 USD. …". {@code floorMicros} is the
     * floor checked (null for a suspended wallet).
     */
    public String explain(long amountMicros, long balanceMicros, Long floorMicros, String currency) {
        if (this == WALLET_SUSPENDED || floorMicros == null) {
            return "The wallet is suspended: outbound debits are paused until an owner reactivates it.";
        }
        String after = Currencies.format(balanceMicros - amountMicros, currency);
        String start = (this == AUTOMATION_FLOOR ? "An automated debit of " : "A debit of ")
                + Currencies.format(amountMicros, currency) + " would leave " + after + " of the "
                + Currencies.format(balanceMicros, currency) + " balance, below the "
                + (this == AUTOMATION_FLOOR ? "automation floor" : "wallet's floor") + " of "
                + Currencies.format(floorMicros, currency) + ". ";
        return start + (this == AUTOMATION_FLOOR
                ? "Top up the balance or enable auto-recharge; manual debits may still go down to the wallet's floor."
                : "Top up the balance or enable auto-recharge.");
    }
}
