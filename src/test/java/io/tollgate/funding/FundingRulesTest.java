package io.tollgate.funding;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tollgate.infra.http.ProblemException;
import io.vertx.core.json.JsonObject;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** The pure rules of funding: signatures, card-number detection, minor units, provider answers. */
class FundingRulesTest {

    @Test
    void aWebhookSignatureVerifiesOnlyWithTheSecretTheBodyAndAFreshTimestamp() {
        long now = System.currentTimeMillis() / 1000;
        String body = "{\"type\":\"payment_intent.succeeded\"}";
        String header = "t=" + now + ",v1=" + WebhookSignature.sign("whsec_a", now, body);
        assertDoesNotThrow(() -> WebhookSignature.verify("whsec_a", header, body, Duration.ofMinutes(5)));
        assertDoesNotThrow(() -> WebhookSignature.verify("whsec_a", "t=" + now + ",v1=00ff,v1=" + WebhookSignature.sign("whsec_a", now, body),
                body, Duration.ofMinutes(5)), "a rotated secret: any v1 may match");
        assertThrows(ProblemException.class, () -> WebhookSignature.verify("whsec_b", header, body, Duration.ofMinutes(5)));
        assertThrows(ProblemException.class, () -> WebhookSignature.verify("whsec_a", header, body + " ", Duration.ofMinutes(5)));
        String old = "t=" + (now - 600) + ",v1=" + WebhookSignature.sign("whsec_a", now - 600, body);
        assertThrows(ProblemException.class, () -> WebhookSignature.verify("whsec_a", old, body, Duration.ofMinutes(5)));
        assertThrows(ProblemException.class, () -> WebhookSignature.verify("whsec_a", null, body, Duration.ofMinutes(5)));
        assertThrows(ProblemException.class, () -> WebhookSignature.verify("whsec_a", "v1=abc", body, Duration.ofMinutes(5)));
    }

    @Test
    void cardNumbersAreRecognisedAndTokensAreNot() {
        assertTrue(PaymentMethodRequests.looksLikeCardNumber("4242424242424242"));
        assertTrue(PaymentMethodRequests.looksLikeCardNumber("pm_4111 1111 1111 1111"));
        assertFalse(PaymentMethodRequests.looksLikeCardNumber("4242424242424241"), "fails the Luhn check");
        assertFalse(PaymentMethodRequests.looksLikeCardNumber("pm_1Nv0uK2eZvKYlo2CJfqGqSFK"));
        assertFalse(PaymentMethodRequests.looksLikeCardNumber("pm_card_visa"));
    }

    @Test
    void microsBecomeMinorUnitsOfEachCurrency() {
        assertEquals(10_000, Money.microsPerMinor("USD"));
        assertEquals(1_000_000, Money.microsPerMinor("JPY"));
        assertEquals(1_000, Money.microsPerMinor("KWD"));
        assertEquals(2_000, Money.toMinor(20_000_000, "USD"));
        assertThrows(IllegalArgumentException.class, () -> Money.toMinor(20_000_001, "USD"));
        assertEquals(20_010_000, Money.ceilToMinor(20_000_001, "USD"), "an automatic amount is rounded up, never down");
        assertEquals(3_000_000, Money.ceilToMinor(2_500_000, "JPY"));
    }

    @Test
    void paymentIntentStatesMapToChargeStates() {
        assertEquals(PaymentProvider.ChargeStatus.SUCCEEDED, StripePaymentProvider.intent(pi("succeeded")).status());
        assertEquals(PaymentProvider.ChargeStatus.PROCESSING, StripePaymentProvider.intent(pi("processing")).status());
        assertEquals(PaymentProvider.ChargeStatus.REQUIRES_CONFIRMATION, StripePaymentProvider.intent(pi("requires_confirmation")).status());
        var declined = StripePaymentProvider.intent(pi("requires_payment_method")
                .put("last_payment_error", new JsonObject().put("code", "card_declined").put("decline_code", "stolen_card")));
        assertEquals(PaymentProvider.ChargeStatus.DECLINED, declined.status());
        assertEquals("stolen_card", declined.declineCode());
        assertEquals("authentication_required", StripePaymentProvider.intent(pi("requires_action")).declineCode(),
                "off-session a card that needs the customer is a decline");
        assertThrows(PaymentProvider.ProviderUnavailableException.class, () -> StripePaymentProvider.intent(new JsonObject()));
    }

    private static JsonObject pi(String status) {
        return new JsonObject().put("id", "pi_1").put("status", status);
    }
}
