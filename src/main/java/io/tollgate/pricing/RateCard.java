package io.tollgate.pricing;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.Map;

/**
 * A tenant's prices in one currency: item code → price. Country overrides replace the outbound unit price for
 * that destination (ISO 3166-1 alpha-2). Inbound traffic costs {@code inboundUnitPriceMicros} (absent = free).
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record RateCard(String currency, Map<String, ItemPrice> items, java.time.Instant updatedAt) {

    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record ItemPrice(Long unitPriceMicros, Long inboundUnitPriceMicros, Map<String, Long> countries) {
    }

    /** What an owner sends to replace the rate card. */
    public record Update(Map<String, ItemPrice> items) {
    }
}
