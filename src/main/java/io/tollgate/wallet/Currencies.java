package io.tollgate.wallet;

import java.util.Currency;
import java.util.Set;
import java.util.stream.Collectors;

/** ISO 4217 currency codes the JDK knows. */
public final class Currencies {
    private static final Set<String> CODES = Currency.getAvailableCurrencies().stream()
            .map(Currency::getCurrencyCode).collect(Collectors.toUnmodifiableSet());

    private Currencies() {
    }

    public static boolean isIso4217(String code) {
        return code != null && code.length() == 3 && CODES.contains(code);
    }

    /**
     * Micros as people read them: whole units with up to six decimals, trailing zeros dropped, then the code:
     * {@code 19985000, "USD"} → "19.985 USD", {@code -5000000} → "-5 USD". Exact: no floating point.
     */
    public static String format(long micros, String currency) {
        long abs = Math.abs(micros);
        String fraction = String.format("%06d", abs % 1_000_000).replaceFirst("0+$", "");
        return (micros < 0 ? "-" : "") + (abs / 1_000_000) + (fraction.isEmpty() ? "" : "." + fraction)
                + (currency == null || currency.isEmpty() ? "" : " " + currency);
    }
}
