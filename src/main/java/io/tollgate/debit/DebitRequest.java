package io.tollgate.debit;

import io.tollgate.infra.http.ProblemException;
import io.tollgate.infra.http.ProblemType;
import io.tollgate.pricing.Pricing;
import io.tollgate.wallet.Currencies;
import io.tollgate.wallet.WalletRequests;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * One debit: either {@code amountMicros}, or {@code item} + {@code quantity} (+ {@code destinationCountry})
 * priced from the tenant's rate card. {@code origin} defaults to automated (the stricter floor),
 * {@code direction} to outbound.
 */
public record DebitRequest(Long amountMicros, String item, Long quantity, String destinationCountry, String currency,
        Origin origin, Direction direction, String channel, String user, Map<String, String> reference, Boolean force) {

    public enum Origin { automated, manual }

    public enum Direction { outbound, inbound }

    static final long QUANTITY_MAX = 1_000_000;
    static final int REFERENCE_MAX_ENTRIES = 16;
    static final int REFERENCE_VALUE_MAX_CHARS = 256;
    static final int USER_MAX_CHARS = 128;
    static final Pattern REFERENCE_KEY = Pattern.compile("[A-Za-z0-9_.-]{1,40}");
    static final Pattern CHANNEL = Pattern.compile("[A-Za-z0-9+._:@-]{1,64}");

    /** Checks every field; {@code at} prefixes field names in the detail ("" or e.g. "items[3]."). */
    void validate(String at) {
        if ((amountMicros == null) == (item == null)) {
            throw invalid(at, "give either amountMicros or item (+ quantity), not both and not neither");
        }
        if (amountMicros != null) {
            WalletRequests.requireAmount(at + "amountMicros", amountMicros);
            if (quantity != null || destinationCountry != null) {
                throw invalid(at, "quantity and destinationCountry go with item, not with amountMicros");
            }
        } else {
            if (!Pricing.ITEM_CODE.matcher(item).matches()) {
                throw invalid(at, "item must match " + Pricing.ITEM_CODE.pattern());
            }
            if (quantity != null && (quantity < 1 || quantity > QUANTITY_MAX)) {
                throw invalid(at, "quantity must be 1.." + QUANTITY_MAX);
            }
            if (destinationCountry != null && !Pricing.isCountry(destinationCountry)) {
                throw invalid(at, "destinationCountry must be an ISO 3166-1 alpha-2 code");
            }
        }
        if (currency != null && !Currencies.isIso4217(currency)) {
            throw invalid(at, "currency must be an ISO 4217 code");
        }
        if (channel != null && !CHANNEL.matcher(channel).matches()) {
            throw invalid(at, "channel must match " + CHANNEL.pattern());
        }
        if (user != null && (user.isEmpty() || user.length() > USER_MAX_CHARS || hasControl(user))) {
            throw invalid(at, "user must be 1.." + USER_MAX_CHARS + " characters without control characters");
        }
        if (reference != null) {
            if (reference.size() > REFERENCE_MAX_ENTRIES) {
                throw invalid(at, "reference holds at most " + REFERENCE_MAX_ENTRIES + " entries");
            }
            reference.forEach((key, value) -> {
                if (!REFERENCE_KEY.matcher(key).matches() || value == null || value.length() > REFERENCE_VALUE_MAX_CHARS
                        || hasControl(value)) {
                    throw invalid(at, "reference entries need keys matching " + REFERENCE_KEY.pattern()
                            + " and text values of at most " + REFERENCE_VALUE_MAX_CHARS + " characters");
                }
            });
        }
    }

    Origin originOrDefault() {
        return origin == null ? Origin.automated : origin;
    }

    Direction directionOrDefault() {
        return direction == null ? Direction.outbound : direction;
    }

    long quantityOrDefault() {
        return quantity == null ? 1 : quantity;
    }

    boolean forced() {
        return Boolean.TRUE.equals(force);
    }

    private static boolean hasControl(String text) {
        return text.chars().anyMatch(Character::isISOControl);
    }

    private static ProblemException invalid(String at, String detail) {
        // at is "" or a prefix such as "items[3]." that field names are appended to
        return new ProblemException(ProblemType.INVALID_REQUEST, at.isEmpty() ? detail : at.substring(0, at.length() - 1) + ": " + detail);
    }
}
