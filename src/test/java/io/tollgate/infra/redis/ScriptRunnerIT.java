package io.tollgate.infra.redis;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.quarkus.test.junit.QuarkusTest;
import io.vertx.core.Context;
import io.vertx.core.Vertx;
import io.vertx.mutiny.redis.client.Command;
import io.vertx.mutiny.redis.client.Request;
import jakarta.inject.Inject;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * A call made on an event loop is answered on that same event loop (its own connection): no hand-over to another
 * thread and back per debit. Two event loops get two connections, each with its own client id in Redis.
 */
@QuarkusTest
class ScriptRunnerIT {
    @Inject
    Vertx vertx;
    @Inject
    ScriptRunner scripts;

    /** On a fresh event-loop context: [calling thread, thread of the reply, Redis client id]. */
    private List<Object> callFromEventLoop() throws Exception {
        CompletableFuture<List<Object>> done = new CompletableFuture<>();
        // A new context on the next event loop, round-robin (getOrCreateContext would stick to one for this thread).
        Context context = ((io.vertx.core.impl.VertxInternal) vertx).createEventLoopContext();
        context.runOnContext(v -> {
            Thread caller = Thread.currentThread();
            assertTrue(Context.isOnEventLoopThread());
            scripts.send(Request.cmd(Command.CLIENT).arg("ID")).subscribe().with(
                    reply -> done.complete(List.of(caller, Thread.currentThread(), reply.toLong())), done::completeExceptionally);
        });
        return done.get(10, TimeUnit.SECONDS);
    }

    @Test
    void eachEventLoopIsAnsweredOnItsOwnThreadAndConnection() throws Exception {
        List<Object> first = callFromEventLoop();
        assertEquals(first.get(0), first.get(1), "the reply runs on the calling event loop");
        List<Object> again = null;
        List<Object> other = null;
        for (int i = 0; i < 16 && (again == null || other == null); i++) {
            List<Object> call = callFromEventLoop();
            assertEquals(call.get(0), call.get(1), "the reply runs on the calling event loop");
            if (call.get(0).equals(first.get(0))) {
                again = call;
            } else {
                other = call;
            }
        }
        assertEquals(first.get(2), again.get(2), "the same event loop keeps its connection");
        assertNotEquals(first.get(2), other.get(2), "another event loop has a connection of its own");
    }
}
