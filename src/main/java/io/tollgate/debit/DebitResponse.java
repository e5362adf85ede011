package io.tollgate.debit;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.tollgate.pricing.Price;

/**
 * The body of a decision. A decline is HTTP 200 with {@code decision: "declined"}: the question was answered,
 * nothing failed. Whether it was a replay travels in the {@code Idempotent-Replayed} header, so every answer to
 * the same key has the same body. {@code price} is present for debits by item; {@code floorMicros} and
 * {@code shortfallMicros} for declines by a floor.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record DebitResponse(String decision, String walletId, String debitId, String currency, long amountMicros,
        Long balanceAfterMicros, Long seq, Price price, DeclineReason reason, String message, Long floorMicros,
        Long shortfallMicros) {

    static DebitResponse of(Decision decision) {
        if (decision instanceof Decision.Approved a) {
            return new DebitResponse("approved", a.walletId(), a.debitId(), a.currency(), a.amountMicros(),
                    a.balanceAfterMicros(), a.seq(), a.price(), null, null, null, null);
        }
        Decision.Declined d = (Decision.Declined) decision;
        return new DebitResponse("declined", d.walletId(), null, d.currency(), d.amountMicros(), d.balanceMicros(), null,
                d.price(), d.reason(), d.reason().explain(d.amountMicros(), d.balanceMicros(), d.floorMicros(), d.currency()),
                d.floorMicros(), d.shortfallMicros());
    }
}
