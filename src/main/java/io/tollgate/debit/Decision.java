package io.tollgate.debit;

/** The answer to "may this tenant spend this much now?". */
public sealed interface Decision permits Decision.Approved, Decision.Declined {
    String walletId();

    long amountMicros();

    /** The money was taken; {@code seq} is the debit event's place in the wallet's event sequence. */
    record Approved(String walletId, String debitId, long amountMicros, long balanceAfterMicros, Long seq) implements Decision {
    }

    /** Nothing was taken; {@code balanceMicros} is the balance that caused the decline. */
    record Declined(String walletId, DeclineReason reason, long amountMicros, long balanceMicros) implements Decision {
    }
}
