package io.tollgate.debit;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.tollgate.pricing.Price;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

/**
 * The body of a decision. A decline is HTTP 200 with {@code decision: "declined"}: the question was answered,
 * nothing failed. Whether it was a replay travels in the {@code Idempotent-Replayed} header, so every answer to
 * the same key has the same body. {@code price} is present for debits by item; {@code floorMicros} and
 * {@code shortfallMicros} for declines by a floor.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
@Schema(name = "DebitDecision", description = "The answer to a debit: approved (the money was taken) or declined (nothing moved).")
public record DebitResponse(
        @Schema(description = "`approved` or `declined`.", enumeration = {"approved", "declined"}, required = true) String decision,
        @Schema(description = "The wallet debited.") String walletId,
        @Schema(description = "Approved: the debit's id (`db_…`), used to reverse it and to look it up.",
                examples = "db_4k7pni2k5bxzizzeccivfiekrfvvxf32") String debitId,
        @Schema(description = "The wallet's currency (ISO 4217), in which every amount of the answer is.", examples = "USD") String currency,
        @Schema(description = "The amount in micros (priced from the rate card when the request named an item).") long amountMicros,
        @Schema(description = "The balance after the debit; for a decline, the unchanged balance.") Long balanceAfterMicros,
        @Schema(description = "Approved: the `debit.approved` event's sequence number.") Long seq,
        @Schema(description = "Debits by item: how the amount was priced.") Price price,
        @Schema(description = "Declined: why.") DeclineReason reason,
        @Schema(description = "Declined: a sentence that says what was checked, with the numbers.") String message,
        @Schema(description = "Declined by a floor: the floor the balance after the debit would have fallen below (the wallet's "
                + "floor or its automation floor).") Long floorMicros,
        @Schema(description = "Declined by a floor: how much more the balance needs for this debit to pass.") Long shortfallMicros) {

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
