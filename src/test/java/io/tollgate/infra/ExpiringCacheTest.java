package io.tollgate.infra;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.smallrye.mutiny.Uni;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** The per-pod cache behind API keys and rate cards: one load per key and TTL, and a hit the hot path can peek. */
class ExpiringCacheTest {
    @Test
    void peekSeesOnlyALoadedUnexpiredValue() throws Exception {
        ExpiringCache<String, String> cache = new ExpiringCache<>(Duration.ofMillis(300), 10);
        AtomicInteger loads = new AtomicInteger();
        assertNull(cache.peek("k"), "nothing loaded yet");
        Uni<String> first = cache.get("k", () -> Uni.createFrom().item(() -> "v" + loads.incrementAndGet()));
        assertNull(cache.peek("k"), "the load has not run: nobody subscribed");
        assertEquals("v1", first.await().indefinitely());
        assertEquals("v1", cache.peek("k"));
        assertEquals("v1", cache.get("k", () -> Uni.createFrom().item("other")).await().indefinitely(), "a hit does not load");
        assertEquals(1, loads.get());
        Thread.sleep(400);
        assertNull(cache.peek("k"), "expired");
        assertEquals("v2", cache.get("k", () -> Uni.createFrom().item(() -> "v" + loads.incrementAndGet())).await().indefinitely());
        assertEquals("v2", cache.peek("k"));
    }

    @Test
    void aFailedLoadIsNotKept() {
        ExpiringCache<String, String> cache = new ExpiringCache<>(Duration.ofSeconds(5), 10);
        Uni<String> failing = cache.get("k", () -> Uni.createFrom().failure(new IllegalStateException("redis down")));
        assertThrows(IllegalStateException.class, () -> failing.await().indefinitely());
        assertNull(cache.peek("k"));
        assertEquals("ok", cache.get("k", () -> Uni.createFrom().item("ok")).await().indefinitely(), "the next call loads again");
        assertEquals("ok", cache.peek("k"));
    }
}
