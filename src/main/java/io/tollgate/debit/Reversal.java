package io.tollgate.debit;

import io.tollgate.wallet.WalletRequests;

/** A reversal of an approved debit, full ({@code amountMicros} left out) or partial. */
public final class Reversal {
    static final int REASON_MAX_CHARS = 200;

    private Reversal() {
    }

    public record Request(Long amountMicros, String reason) {
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

    public record Result(String reversalId, String debitId, String walletId, long amountMicros, long balanceAfterMicros,
            long seq, @com.fasterxml.jackson.annotation.JsonIgnore boolean replayed) {
    }
}
