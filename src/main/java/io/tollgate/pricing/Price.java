package io.tollgate.pricing;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonValue;
import java.util.Locale;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

/**
 * How a debit by item was priced: {@code quantity × unitPriceMicros}, the unit price taken from the rate card entry
 * named by {@code basis}. Shown in every debit answer by item, so a pipeline sees what it paid and why.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
@Schema(name = "PriceApplied", description = "How a debit by item was priced: `quantity × unitPriceMicros`.")
public record Price(
        @Schema(description = "The item code, as sent.", examples = "sms") String item,
        @Schema(description = "The units, as sent (1 when not sent).") long quantity,
        @Schema(description = "The unit price applied, in micros.", examples = "79000") long unitPriceMicros,
        @Schema(description = "The destination, as sent; absent when none was sent.", examples = "DE") String destinationCountry,
        @Schema(description = "Which price of the item applied.") Basis basis,
        @JsonIgnore long amountMicros) {

    /** Which price of the item applied. The code is what a debit record stores (lib.lua parse_debit). */
    @Schema(name = "PriceBasis", description = "`destination`: the rate card's price for `destinationCountry`; `item`: the item's "
            + "outbound price (no destination sent, or none priced for it); `inbound`: the item's inbound price (0 when none).")
    public enum Basis {
        /** The item's outbound {@code unitPriceMicros}: no destination given, or the card has no price for it. */
        ITEM('i'),
        /** The item's price for {@code destinationCountry} ({@code countries} in the rate card). */
        DESTINATION('c'),
        /** The item's {@code inboundUnitPriceMicros} (0 when the card has none: inbound is then free). */
        INBOUND('n');

        private final char code;

        Basis(char code) {
            this.code = code;
        }

        public String code() {
            return String.valueOf(code);
        }

        @JsonValue
        public String json() {
            return name().toLowerCase(Locale.ROOT);
        }

        /** The basis a debit record stored; null for "" (a debit by amount) or an unknown code. */
        public static Basis ofCode(String code) {
            for (Basis b : values()) {
                if (code.length() == 1 && code.charAt(0) == b.code) {
                    return b;
                }
            }
            return null;
        }
    }

    /**
     * The price of a debit answered from its record (a replay): the record keeps the amount and the basis; the unit
     * price follows exactly, since the amount was quantity × unit price.
     */
    public static Price recorded(String item, long quantity, String destinationCountry, Basis basis, long amountMicros) {
        return new Price(item, quantity, quantity == 0 ? 0 : amountMicros / quantity, destinationCountry, basis, amountMicros);
    }
}
