package io.tollgate.debit;

import io.tollgate.pricing.Price;

/** The answer to "may this tenant spend this much now?". {@code price} is null for a debit by amount. */
public sealed interface Decision permits Decision.Approved, Decision.Declined {
    String walletId();

    long amountMicros();

    /** The money was taken; {@code seq} is the debit event's place in the wallet's event sequence. */
    record Approved(String walletId, String debitId, String currency, long amountMicros, long balanceAfterMicros, Long seq,
            Price price) implements Decision {
    }

    /**
     * Nothing was taken; {@code balanceMicros} is the balance that caused the decline and {@code floorMicros} the floor
     * the balance after the debit would have fallen below (null for a suspended wallet).
     */
    record Declined(String walletId, DeclineReason reason, String currency, long amountMicros, long balanceMicros,
            Long floorMicros, Price price) implements Decision {

        /** What the balance lacks for this debit to pass the floor checked; null for a suspended wallet. */
        public Long shortfallMicros() {
            return floorMicros == null ? null : floorMicros - (balanceMicros - amountMicros);
        }
    }
}
