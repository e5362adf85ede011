package io.tollgate.alert;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.tollgate.infra.http.ProblemException;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The pure parts of alerts: the signature, the email amounts and the request checks. */
class AlertPartsTest {

    @Test
    void theSignatureIsHmacSha256InHex() {
        // RFC 4231, test case 2
        assertEquals("5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843",
                io.tollgate.infra.Ids.hmacSha256Hex("Jefe", "what do ya want for nothing?"));
        assertEquals("t=1700000000,v1=" + io.tollgate.infra.Ids.hmacSha256Hex("s3cret", "1700000000.{\"a\":1}"),
                WebhookSignature.header("s3cret", 1_700_000_000L, "{\"a\":1}"));
    }

    @Test
    void emailAmountsAreWrittenInUnitsOfTheCurrency() throws Exception {
        ObjectMapper json = new ObjectMapper();
        assertEquals("4.90 USD", AlertEmails.amount(json.readTree("4900000"), "USD"));
        assertEquals("10.00 EUR", AlertEmails.amount(json.readTree("10000000"), "EUR"));
        assertEquals("0.000125 USD", AlertEmails.amount(json.readTree("125"), "USD"));
        assertEquals("-2.50 USD", AlertEmails.amount(json.readTree("-2500000"), "USD"));
        assertEquals("?", AlertEmails.amount(json.readTree("\"x\""), "USD"));
    }

    @Test
    void requestChecks() {
        new AlertRequests.TenantSettings(List.of("ops@acme.example", "a.b+c@mail.acme.example")).validate();
        assertThrows(ProblemException.class, () -> new AlertRequests.TenantSettings(List.of("ops@acme")).validate());
        assertThrows(ProblemException.class, () -> new AlertRequests.TenantSettings(List.of("o ps@acme.example")).validate());
        new AlertRequests.WalletSettings(List.of(-9_007_199_254_740_991L, 9_007_199_254_740_991L)).validate();
        assertThrows(ProblemException.class, () -> new AlertRequests.WalletSettings(List.of(9_007_199_254_740_992L)).validate());
        new AlertRequests.NewEndpoint("http://127.0.0.1:8080/hook?x=1").validate();
        assertThrows(ProblemException.class, () -> new AlertRequests.NewEndpoint("https://example.com/#frag").validate());
        assertThrows(ProblemException.class, () -> new AlertRequests.NewEndpoint("mailto:ops@acme.example").validate());
    }
}
