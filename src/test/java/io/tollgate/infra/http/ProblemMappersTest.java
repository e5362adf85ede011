package io.tollgate.infra.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tollgate.support.LogCapture;
import java.net.ConnectException;
import java.util.List;
import org.junit.jupiter.api.Test;

class ProblemMappersTest {
    @Test
    void backingServiceFailuresAreRetryable503s() {
        assertTrue(ProblemMappers.isUnavailable(new RuntimeException(new ConnectException("Connection refused"))));
        assertTrue(ProblemMappers.isUnavailable(new io.smallrye.mutiny.TimeoutException()));
        assertTrue(ProblemMappers.isUnavailable(new java.io.IOException("reset")));
        assertFalse(ProblemMappers.isUnavailable(new IllegalStateException("bug")));
    }

    @Test
    void anUnavailableServiceIsAWarningAndAnythingElseAnErrorWithItsStackTrace() {
        try (LogCapture unavailable = LogCapture.warnings(ProblemMappers.class, "backing service unavailable");
                LogCapture unexpected = LogCapture.errors(ProblemMappers.class, "unexpected failure")) {
            assertEquals(503, new ProblemMappers().unexpected(new ConnectException("refused")).getStatus());
            assertEquals(500, new ProblemMappers().unexpected(new IllegalStateException("bug")).getStatus());
            assertEquals(List.of("backing service unavailable: java.net.ConnectException: refused"), unavailable.messages());
            assertEquals(List.of("unexpected failure: java.lang.IllegalStateException: bug"), unexpected.messages());
        }
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
