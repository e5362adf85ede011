package io.tollgate.infra.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.ConnectException;
import org.junit.jupiter.api.Test;

class ProblemMappersTest {
    @Test
    void backingServiceFailuresAreRetryable503s() {
        assertTrue(ProblemMappers.isUnavailable(new RuntimeException(new ConnectException("Connection refused"))));
        assertTrue(ProblemMappers.isUnavailable(new io.smallrye.mutiny.TimeoutException()));
        assertTrue(ProblemMappers.isUnavailable(new java.io.IOException("reset")));
        assertFalse(ProblemMappers.isUnavailable(new IllegalStateException("bug")));
        assertEquals(503, new ProblemMappers().unexpected(new ConnectException("refused")).getStatus());
        assertEquals(500, new ProblemMappers().unexpected(new IllegalStateException("bug")).getStatus());
    }

    @Test
    void problemsNeverCarryAStackTrace() {
        ProblemException e = new ProblemException(ProblemType.WALLET_NOT_FOUND, "no wallet w_1");
        assertEquals(0, e.getStackTrace().length);
        Problem p = e.problem();
        assertEquals("https://tollgate.dev/problems/wallet-not-found", p.type());
        assertEquals(404, p.status());
    }
}
