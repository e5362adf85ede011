package io.tollgate.funding;

import java.util.Currency;

/** Micros ↔ the currency's minor unit (cents for USD, yen for JPY), as card processors count. */
final class Money {
    private Money() {
    }

    /** Micros in one minor unit: 10,000 for USD (2 decimals), 1,000,000 for JPY (0 decimals). */
    static long microsPerMinor(String currency) {
        int digits = Currency.getInstance(currency).getDefaultFractionDigits();
        if (digits < 0 || digits > 6) {
            throw new IllegalArgumentException(currency + " has no minor unit Tollgate can charge");
        }
        long per = 1;
        for (int i = digits; i < 6; i++) {
            per *= 10;
        }
        return per;
    }

    /** Rounds up to a whole minor unit: an automatic top-up never adds less than it was asked for. */
    static long ceilToMinor(long micros, String currency) {
        long per = microsPerMinor(currency);
        return Math.floorDiv(micros + per - 1, per) * per;
    }

    static long toMinor(long micros, String currency) {
        long per = microsPerMinor(currency);
        if (micros % per != 0) {
            throw new IllegalArgumentException(micros + " micros is not a whole number of " + currency + " minor units");
        }
        return micros / per;
    }
}
