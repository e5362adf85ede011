package io.tollgate.pricing;

import io.tollgate.infra.http.ProblemException;
import io.tollgate.infra.http.ProblemType;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/** Pure pricing and rate card validation: no I/O, no state. */
public final class Pricing {
    public static final long MAX_MICROS = 9_007_199_254_740_991L; // 2^53 - 1: exact in Lua and JSON doubles
    public static final int ITEMS_MAX = 500;
    public static final int COUNTRIES_MAX = 300;
    public static final Pattern ITEM_CODE = Pattern.compile("[a-z][a-z0-9_.-]{0,63}");
    private static final Set<String> COUNTRIES = Set.of(Locale.getISOCountries());

    private Pricing() {
    }

    /** The price of {@code quantity} units, or {@code unknown-item} when the card does not price the item. */
    public static long price(RateCard card, String item, String country, boolean inbound, long quantity) {
        return quote(card, item, country, inbound, quantity).amountMicros();
    }

    /**
     * The price of {@code quantity} units and how it was found. Errors: {@code unknown-item} when the card does not
     * price the item (or there is no card), {@code invalid-request} when the total exceeds 2^53−1 micros.
     */
    public static Price quote(RateCard card, String item, String country, boolean inbound, long quantity) {
        RateCard.ItemPrice price = card == null ? null : card.items().get(item);
        if (price == null) {
            throw new ProblemException(ProblemType.UNKNOWN_ITEM, "no price for item '" + item + "'"
                    + (card == null ? "" : " in " + card.currency()));
        }
        long unit;
        Price.Basis basis;
        if (inbound) {
            unit = price.inboundUnitPriceMicros() == null ? 0 : price.inboundUnitPriceMicros();
            basis = Price.Basis.INBOUND;
        } else {
            Long override = country == null || price.countries() == null ? null : price.countries().get(country);
            unit = override != null ? override : price.unitPriceMicros();
            basis = override != null ? Price.Basis.DESTINATION : Price.Basis.ITEM;
        }
        try {
            long total = Math.multiplyExact(unit, quantity);
            if (total > MAX_MICROS) {
                throw new ArithmeticException();
            }
            return new Price(item, quantity, unit, country, basis, total);
        } catch (ArithmeticException e) {
            throw new ProblemException(ProblemType.INVALID_REQUEST, "quantity × unit price exceeds 2^53-1 micros");
        }
    }

    public static void validate(Map<String, RateCard.ItemPrice> items) {
        if (items == null || items.isEmpty() || items.size() > ITEMS_MAX) {
            throw invalid("items must hold 1.." + ITEMS_MAX + " priced item codes");
        }
        items.forEach((code, price) -> {
            if (!ITEM_CODE.matcher(code).matches()) {
                throw invalid("item code '" + code + "' must match " + ITEM_CODE.pattern());
            }
            if (price == null) {
                throw invalid("item '" + code + "' has no price");
            }
            requireMicros(code + ".unitPriceMicros", price.unitPriceMicros(), 1, true);
            requireMicros(code + ".inboundUnitPriceMicros", price.inboundUnitPriceMicros(), 0, false);
            if (price.countries() != null) {
                if (price.countries().size() > COUNTRIES_MAX) {
                    throw invalid(code + ".countries holds more than " + COUNTRIES_MAX + " entries");
                }
                price.countries().forEach((country, micros) -> {
                    if (!COUNTRIES.contains(country)) {
                        throw invalid(code + ".countries: '" + country + "' is not an ISO 3166-1 alpha-2 code");
                    }
                    requireMicros(code + ".countries." + country, micros, 1, true);
                });
            }
        });
    }

    private static void requireMicros(String field, Long value, long min, boolean required) {
        if (value == null) {
            if (required) {
                throw invalid(field + " is required");
            }
            return;
        }
        if (value < min || value > MAX_MICROS) {
            throw invalid(field + " must be " + min + ".." + MAX_MICROS);
        }
    }

    public static boolean isCountry(String code) {
        return COUNTRIES.contains(code);
    }

    private static ProblemException invalid(String detail) {
        return new ProblemException(ProblemType.INVALID_REQUEST, detail);
    }
}
