package io.tollgate.pricing;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.Map;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

/**
 * A tenant's prices in one currency: item code → price. Country overrides replace the outbound unit price for
 * that destination (ISO 3166-1 alpha-2). Inbound traffic costs {@code inboundUnitPriceMicros} (absent = free).
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
@Schema(description = "A tenant's prices in one currency: item code → price. Debits by `item` are priced from the card in the "
        + "wallet's currency.")
public record RateCard(
        @Schema(description = "ISO 4217 code of the card's currency.", examples = "USD") String currency,
        @Schema(description = "Item code (`[a-z][a-z0-9_.-]{0,63}`) → its prices.") Map<String, ItemPrice> items,
        @Schema(description = "When the card was last replaced.") java.time.Instant updatedAt) {

    @JsonInclude(JsonInclude.Include.NON_NULL)
    @Schema(description = "The prices of one item, in micros per unit.")
    public record ItemPrice(
            @Schema(description = "Outbound price per unit, 1 … 2^53−1.", required = true, examples = "7500") Long unitPriceMicros,
            @Schema(description = "Inbound price per unit, 0 … 2^53−1; absent = inbound is free.", examples = "1000") Long inboundUnitPriceMicros,
            @Schema(description = "At most 300 entries: ISO 3166-1 alpha-2 code → outbound price per unit (1 … 2^53−1) for that "
                    + "destination, replacing `unitPriceMicros`.") Map<String, Long> countries) {
    }

    /** What an owner sends to replace the rate card. */
    @Schema(name = "RateCardUpdate", description = "A whole rate card, replacing the stored one.")
    public record Update(
            @Schema(description = "1–500 entries: item code (`[a-z][a-z0-9_.-]{0,63}`) → its prices.", required = true)
            Map<String, ItemPrice> items) {
    }
}
