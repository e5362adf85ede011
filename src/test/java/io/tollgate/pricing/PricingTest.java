package io.tollgate.pricing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.tollgate.infra.http.ProblemException;
import io.tollgate.infra.http.ProblemType;
import java.util.Map;
import org.junit.jupiter.api.Test;

class PricingTest {
    static final RateCard CARD = new RateCard("USD", Map.of(
            "sms", new RateCard.ItemPrice(7500L, null, Map.of("GB", 40000L)),
            "voice.minute", new RateCard.ItemPrice(12000L, 3000L, null)), java.time.Instant.EPOCH);

    @Test
    void pricesByItemQuantityCountryAndDirection() {
        assertEquals(22500, Pricing.price(CARD, "sms", null, false, 3));
        assertEquals(80000, Pricing.price(CARD, "sms", "GB", false, 2));
        assertEquals(7500, Pricing.price(CARD, "sms", "FR", false, 1));
        assertEquals(0, Pricing.price(CARD, "sms", null, true, 5), "unpriced inbound is free");
        assertEquals(6000, Pricing.price(CARD, "voice.minute", null, true, 2));
    }

    @Test
    void aQuoteSaysWhichPriceApplied() {
        assertEquals(new Price("sms", 2, 40000, "GB", Price.Basis.DESTINATION, 80000), Pricing.quote(CARD, "sms", "GB", false, 2));
        assertEquals(new Price("sms", 1, 7500, "FR", Price.Basis.ITEM, 7500), Pricing.quote(CARD, "sms", "FR", false, 1),
                "no price for the destination: the item's own price, and the answer says so");
        assertEquals(new Price("voice.minute", 2, 3000, null, Price.Basis.INBOUND, 6000), Pricing.quote(CARD, "voice.minute", null, true, 2));
        assertEquals(new Price("sms", 5, 0, null, Price.Basis.INBOUND, 0), Pricing.quote(CARD, "sms", null, true, 5));
        // a replay rebuilds the same breakdown from the record: amount and basis
        assertEquals(Pricing.quote(CARD, "sms", "GB", false, 3), Price.recorded("sms", 3, "GB", Price.Basis.ofCode("c"), 120000));
        for (Price.Basis b : Price.Basis.values()) {
            assertEquals(b, Price.Basis.ofCode(b.code()));
        }
        assertEquals(null, Price.Basis.ofCode(""));
    }

    @Test
    void unknownItemsAndOverflowAreProblems() {
        assertEquals(ProblemType.UNKNOWN_ITEM, assertThrows(ProblemException.class, () -> Pricing.price(CARD, "fax", null, false, 1)).type());
        assertEquals(ProblemType.UNKNOWN_ITEM, assertThrows(ProblemException.class, () -> Pricing.price(null, "sms", null, false, 1)).type());
        RateCard dear = new RateCard("USD", Map.of("x", new RateCard.ItemPrice(Pricing.MAX_MICROS, null, null)), java.time.Instant.EPOCH);
        assertEquals(ProblemType.INVALID_REQUEST, assertThrows(ProblemException.class, () -> Pricing.price(dear, "x", null, false, 2)).type());
        assertEquals(Pricing.MAX_MICROS, Pricing.price(dear, "x", null, false, 1));
    }

    @Test
    void validationRejectsBadCards() {
        assertThrows(ProblemException.class, () -> Pricing.validate(Map.of()));
        assertThrows(ProblemException.class, () -> Pricing.validate(Map.of("Bad Code", new RateCard.ItemPrice(1L, null, null))));
        assertThrows(ProblemException.class, () -> Pricing.validate(Map.of("sms", new RateCard.ItemPrice(0L, null, null))));
        assertThrows(ProblemException.class, () -> Pricing.validate(Map.of("sms", new RateCard.ItemPrice(1L, -1L, null))));
        assertThrows(ProblemException.class, () -> Pricing.validate(Map.of("sms", new RateCard.ItemPrice(1L, null, Map.of("UK", 5L)))));
        Pricing.validate(CARD.items());
    }
}
