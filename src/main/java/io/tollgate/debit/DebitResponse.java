package io.tollgate.debit;

import com.fasterxml.jackson.annotation.JsonInclude;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

/**
 * The body of a decision. A decline is HTTP 200 with {@code decision: "declined"}: the question was answered,
 * nothing failed. Whether it was a replay travels in the {@code Idempotent-Replayed} header, so every answer to
 * the same key has the same body.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
@Schema(name = "DebitDecision", description = "The answer to a debit: approved (the money was taken) or declined (nothing moved).")
public record DebitResponse(
        @Schema(description = "`approved` or `declined`.", enumeration = {"approved", "declined"}, required = true) String decision,
        @Schema(description = "The wallet debited.") String walletId,
        @Schema(description = "Approved with an amount above 0: the debit's id (`db_…`), used to reverse it.",
                examples = "db_4k7pni2k5bxzizzeccivfiekrfvvxf32") String debitId,
        @Schema(description = "The amount in micros (priced from the rate card when the request named an item).") long amountMicros,
        @Schema(description = "The balance after the debit; for a decline, the unchanged balance.") Long balanceAfterMicros,
        @Schema(description = "Approved with an amount above 0: the `debit.approved` event's sequence number.") Long seq,
        @Schema(description = "Declined: why.") DeclineReason reason,
        @Schema(description = "Declined: a sentence for people.") String message) {

    static DebitResponse of(Decision decision) {
        if (decision instanceof Decision.Approved a) {
            return new DebitResponse("approved", a.walletId(), a.debitId(), a.amountMicros(), a.balanceAfterMicros(), a.seq(), null, null);
        }
        Decision.Declined d = (Decision.Declined) decision;
        return new DebitResponse("declined", d.walletId(), null, d.amountMicros(), d.balanceMicros(), null, d.reason(), d.reason().message());
    }
}
