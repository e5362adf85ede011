package io.tollgate.infra;

import io.smallrye.mutiny.Uni;
import java.util.List;

/** Mutiny helpers the features share. */
public final class Unis {
    private Unis() {
    }

    /**
     * Brings the answer of a call (Redis, a provider) back to the Vert.x context that made it: Hibernate Reactive keeps
     * its session per context, so the next database step must run there. Without a current context, unchanged.
     */
    public static <T> Uni<T> onCallersContext(Uni<T> call) {
        io.vertx.core.Context context = io.vertx.core.Vertx.currentContext();
        return context == null ? call : call.emitOn(task -> context.runOnContext(ignored -> task.run()));
    }

    /** All results in order, failing fast; an empty list gives an empty list (Mutiny's join refuses zero Unis). */
    public static <T> Uni<List<T>> all(List<Uni<T>> unis) {
        return unis.isEmpty() ? Uni.createFrom().item(List.of()) : Uni.join().all(unis).andFailFast();
    }
}
