package io.tollgate.wallet;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

/** Amounts in messages are exact and read the way people write them. */
class CurrenciesTest {
    @Test
    void microsAreWrittenAsUnitsWithoutTrailingZeros() {
        assertEquals("16 USD", Currencies.format(16_000_000, "USD"));
        assertEquals("19.985 USD", Currencies.format(19_985_000, "USD"));
        assertEquals("-5.015 USD", Currencies.format(-5_015_000, "USD"));
        assertEquals("0.000001 EUR", Currencies.format(1, "EUR"));
        assertEquals("-0.5 EUR", Currencies.format(-500_000, "EUR"));
        assertEquals("0 USD", Currencies.format(0, "USD"));
        assertEquals("9007199254.740991 USD", Currencies.format(9_007_199_254_740_991L, "USD"), "no rounding at 2^53-1");
    }
}
