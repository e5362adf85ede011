package io.tollgate.infra.redis;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.quarkus.test.junit.QuarkusTest;
import io.tollgate.support.LogCapture;
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

    /** A TCP peer that accepts connections and never answers; counts them. */
    private io.vertx.core.net.NetServer silentPeer(java.util.concurrent.atomic.AtomicInteger accepted) throws Exception {
        return vertx.createNetServer().connectHandler(socket -> {
            accepted.incrementAndGet();
            socket.handler(ignored -> { }); // read and drop: Redis that has stopped answering
        }).listen(0, "127.0.0.1").toCompletionStage().toCompletableFuture().get(5, TimeUnit.SECONDS);
    }

    /**
     * A peer that completes the client's handshake (HELLO, answered +OK) and closes the connection when the first
     * command arrives: a Redis that drops an open connection. Counts connections. (Closing during the handshake
     * instead trips a bug of the Vert.x Redis client 4.5: it logs "Unhandled Error" and, under -ea, fails its own
     * assertion in RedisStandaloneConnection.end; that is not what this test is about.)
     */
    private io.vertx.core.net.NetServer droppingPeer(java.util.concurrent.atomic.AtomicInteger accepted) throws Exception {
        return vertx.createNetServer().connectHandler(socket -> {
            accepted.incrementAndGet();
            java.util.concurrent.atomic.AtomicBoolean greeted = new java.util.concurrent.atomic.AtomicBoolean();
            socket.handler(request -> {
                if (greeted.compareAndSet(false, true)) {
                    socket.write("+OK\r\n");
                } else {
                    socket.close();
                }
            });
        }).listen(0, "127.0.0.1").toCompletionStage().toCompletableFuture().get(5, TimeUnit.SECONDS);
    }

    private ScriptRunner runnerFor(io.vertx.core.net.NetServer peer) {
        io.vertx.mutiny.redis.client.Redis client = io.vertx.mutiny.redis.client.Redis.createClient(
                io.vertx.mutiny.core.Vertx.newInstance(vertx), "redis://127.0.0.1:" + peer.actualPort());
        return new ScriptRunner(client, vertx, config, new io.micrometer.core.instrument.simple.SimpleMeterRegistry());
    }

    @Inject
    io.tollgate.infra.config.TollgateConfig config;

    @Test
    void aRedisThatDoesNotAnswerFailsTheCallAfterTheTimeout() throws Exception {
        io.vertx.core.net.NetServer peer = silentPeer(new java.util.concurrent.atomic.AtomicInteger());
        try {
            long start = System.nanoTime();
            Throwable failure = org.junit.jupiter.api.Assertions.assertThrows(Throwable.class,
                    () -> runnerFor(peer).run(LuaScript.RELAY_LEASE, List.of("k"), List.of("pod", "1000", "take")).await().atMost(java.time.Duration.ofSeconds(15)));
            double seconds = (System.nanoTime() - start) / 1e9;
            assertTrue(failure instanceof io.smallrye.mutiny.TimeoutException, "a timeout (503 unavailable), got " + failure);
            assertTrue(seconds >= ScriptRunner.TIMEOUT.toSeconds() - 0.5 && seconds < ScriptRunner.TIMEOUT.toSeconds() + 3,
                    "failed after " + seconds + " s");
        } finally {
            peer.close();
        }
    }

    @Test
    void aDroppedConnectionFailsTheCallAndTheNextCallReconnects() throws Exception {
        java.util.concurrent.atomic.AtomicInteger accepted = new java.util.concurrent.atomic.AtomicInteger();
        io.vertx.core.net.NetServer peer = droppingPeer(accepted);
        try (LogCapture dropped = LogCapture.warnings(ScriptRunner.class, "Redis connection dropped")) {
            ScriptRunner runner = runnerFor(peer);
            for (int call = 1; call <= 2; call++) {
                long start = System.nanoTime();
                org.junit.jupiter.api.Assertions.assertThrows(Throwable.class,
                        () -> runner.send(Request.cmd(Command.PING)).await().atMost(java.time.Duration.ofSeconds(15)));
                assertTrue(System.nanoTime() - start < ScriptRunner.TIMEOUT.toNanos(), "failed at once, not by the timeout");
                assertEquals(call, accepted.get(), "call " + call + " opened a connection of its own");
                assertEquals(call, dropped.await(call, java.time.Duration.ofSeconds(5)).size(), "each drop is logged once");
            }
        } finally {
            peer.close();
        }
    }
}
