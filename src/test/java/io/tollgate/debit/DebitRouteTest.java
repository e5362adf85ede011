package io.tollgate.debit;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** The route's media-type checks, which the REST layer's @Consumes/@Produces made before it. */
class DebitRouteTest {
    @Test
    void contentTypeMustBeJson() {
        assertTrue(DebitRoute.isJson("application/json"));
        assertTrue(DebitRoute.isJson("Application/JSON; charset=utf-8"));
        assertFalse(DebitRoute.isJson(null));
        assertFalse(DebitRoute.isJson("text/plain"));
        assertFalse(DebitRoute.isJson("application/json-patch+json"));
    }

    @Test
    void acceptMustAdmitJson() {
        assertTrue(DebitRoute.acceptsJson(null));
        assertTrue(DebitRoute.acceptsJson("*/*"));
        assertTrue(DebitRoute.acceptsJson("text/html, application/*;q=0.5"));
        assertTrue(DebitRoute.acceptsJson("application/json"));
        assertFalse(DebitRoute.acceptsJson("text/html"));
        assertFalse(DebitRoute.acceptsJson("application/xml, text/plain"));
    }
}
