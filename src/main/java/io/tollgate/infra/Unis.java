package io.tollgate.infra;

import io.smallrye.mutiny.Uni;
import java.util.List;

/** Mutiny helpers the features share. */
public final class Unis {
    private Unis() {
    }

    /** All results in order, failing fast; an empty list gives an empty list (Mutiny's join refuses zero Unis). */
    public static <T> Uni<List<T>> all(List<Uni<T>> unis) {
        return unis.isEmpty() ? Uni.createFrom().item(List.of()) : Uni.join().all(unis).andFailFast();
    }
}
