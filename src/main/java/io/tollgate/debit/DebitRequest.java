package io.tollgate.debit;

import io.tollgate.infra.http.ProblemException;
import io.tollgate.infra.http.ProblemType;
import io.tollgate.pricing.Pricing;
import io.tollgate.wallet.Currencies;
import io.tollgate.wallet.WalletRequests;
import java.util.Map;
import java.util.regex.Pattern;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

/**
 * One debit: either {@code amountMicros}, or {@code item} + {@code quantity} (+ {@code destinationCountry})
 * priced from the tenant's rate card. {@code origin} defaults to automated (the stricter floor),
 * {@code direction} to outbound.
 */
@Schema(description = "One debit: give either `amountMicros`, or `item` (+ `quantity`, `destinationCountry`) priced from the "
        + "tenant's rate card in the wallet's currency.")
public record DebitRequest(
        @Schema(description = DOC_AMOUNT, examples = "158000") Long amountMicros,
        @Schema(description = DOC_ITEM, examples = "sms") String item,
        @Schema(description = DOC_QUANTITY) Long quantity,
        @Schema(description = DOC_COUNTRY, examples = "DE") String destinationCountry,
        @Schema(description = DOC_CURRENCY, examples = "USD") String currency,
        @Schema(description = DOC_ORIGIN) Origin origin,
        @Schema(description = DOC_DIRECTION) Direction direction,
        @Schema(description = DOC_CHANNEL, examples = "sms") String channel,
        @Schema(description = DOC_USER) String user,
        @Schema(description = DOC_REFERENCE) Map<String, String> reference,
        @Schema(description = DOC_FORCE) Boolean force) {

    @Schema(description = "Who started the traffic: `automated` (stops at the automation floor unless auto-recharge is on) or "
            + "`manual` (may go down to the floor).")
    public enum Origin { automated, manual }

    @Schema(description = "`outbound` traffic may be declined; `inbound` traffic is never blocked and is priced by "
            + "`inboundUnitPriceMicros`.")
    public enum Direction { outbound, inbound }

    // Field descriptions for the OpenAPI document, shared with each batch item (BatchRequest.Item).
    static final String DOC_AMOUNT = "The amount, 1 … 2^53−1 micros of the wallet's currency; not with `item`, `quantity` or `destinationCountry`.";
    static final String DOC_ITEM = "Item code `[a-z][a-z0-9_.-]{0,63}` priced from the rate card in the wallet's currency; not with `amountMicros`.";
    static final String DOC_QUANTITY = "Units of `item`, 1 … 1000000; default 1. Only with `item`.";
    static final String DOC_COUNTRY = "ISO 3166-1 alpha-2 destination; selects the country price for outbound traffic. Only with `item`.";
    static final String DOC_CURRENCY = "ISO 4217 code; if given, must be the wallet's currency.";
    static final String DOC_ORIGIN = "Default `automated`.";
    static final String DOC_DIRECTION = "Default `outbound`.";
    static final String DOC_CHANNEL = "`[A-Za-z0-9+._:@-]{1,64}`; must be one of the wallet's channels if it has any.";
    static final String DOC_USER = "Who the traffic is for, 1–128 characters without control characters; copied into the event.";
    static final String DOC_REFERENCE = "Up to 16 entries, keys `[A-Za-z0-9_.-]{1,40}`, text values up to 256 characters without "
            + "control characters; copied into the event. `user` and `reference` together fit 8192 bytes.";
    static final String DOC_FORCE = "Usage that already happened: skips the status and floor checks, may take the balance below "
            + "the floor. Default false.";

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
