package io.tollgate.infra;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.smallrye.mutiny.Uni;
import java.util.List;
import org.junit.jupiter.api.Test;

class UnisTest {
    @Test
    void joinsInOrderAndAcceptsAnEmptyList() {
        assertEquals(List.of(), Unis.<String>all(List.of()).await().indefinitely());
        assertEquals(List.of("a", "b"), Unis.all(List.of(Uni.createFrom().item("a"), Uni.createFrom().item("b"))).await().indefinitely());
        assertThrows(IllegalStateException.class, () -> Unis.all(List.<Uni<String>>of(Uni.createFrom().item("a"),
                Uni.createFrom().failure(new IllegalStateException("x")))).await().indefinitely());
    }
}
