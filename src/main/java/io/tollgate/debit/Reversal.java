package io.tollgate.debit;

import io.tollgate.wallet.WalletRequests;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

/** A reversal of an approved debit, full ({@code amountMicros} left out) or partial. */
public final class Reversal {
    static final int REASON_MAX_CHARS = 200;

    private Reversal() {
    }

    @Schema(name = "ReversalRequest", description = "A reversal: `{}` gives back everything that remains of the debit.")
    public record Request(
            @Schema(description = "How much to give back, 1 … 2^53−1 micros; absent = all that remains.") Long amountMicros,
            @Schema(description = "Why, at most 200 characters without control characters; copied into the event.") String reason) {
        void validate() {
            if (amountMicros != null) {
                WalletRequests.requireAmount("amountMicros", amountMicros);
            }
            if (reason != null && (reason.length() > REASON_MAX_CHARS || reason.chars().anyMatch(Character::isISOControl))) {
                throw new io.tollgate.infra.http.ProblemException(io.tollgate.infra.http.ProblemType.INVALID_REQUEST,
                        "reason must be at most " + REASON_MAX_CHARS + " characters without control characters");
            }
        }
    }

    @Schema(name = "Reversal", description = "A reversal of (part of) an approved debit.")
    public record Result(
            @Schema(description = "The reversal's id (`rv_…`).", examples = "rv_nv2bladijfto5rjoqimu") String reversalId,
            @Schema(description = "The debit reversed.") String debitId,
            @Schema(description = "The debit's wallet.") String walletId,
            @Schema(description = "The wallet's currency (ISO 4217).", examples = "USD") String currency,
            @Schema(description = "The amount given back, in micros.") long amountMicros,
            @Schema(description = "The balance right after the reversal, in micros.") long balanceAfterMicros,
            @Schema(description = "The `debit.reversed` event's sequence number.") long seq,
            @com.fasterxml.jackson.annotation.JsonIgnore boolean replayed) {
    }
}
