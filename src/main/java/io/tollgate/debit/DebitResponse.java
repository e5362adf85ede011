package io.tollgate.debit;

import com.fasterxml.jackson.annotation.JsonInclude;

/**
 * The body of a decision. A decline is HTTP 200 with {@code decision: "declined"}: the question was answered,
 * nothing failed. Whether it was a replay travels in the {@code Idempotent-Replayed} header, so every answer to
 * the same key has the same body.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record DebitResponse(String decision, String walletId, String debitId, long amountMicros, Long balanceAfterMicros,
        Long seq, DeclineReason reason, String message) {

    static DebitResponse of(Decision decision) {
        if (decision instanceof Decision.Approved a) {
            return new DebitResponse("approved", a.walletId(), a.debitId(), a.amountMicros(), a.balanceAfterMicros(), a.seq(), null, null);
        }
        Decision.Declined d = (Decision.Declined) decision;
        return new DebitResponse("declined", d.walletId(), null, d.amountMicros(), d.balanceMicros(), null, d.reason(), d.reason().message());
    }
}
