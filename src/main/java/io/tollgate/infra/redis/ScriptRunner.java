package io.tollgate.infra.redis;

import io.quarkus.runtime.ShutdownEvent;
import io.smallrye.mutiny.TimeoutException;
import io.smallrye.mutiny.Uni;
import io.smallrye.mutiny.subscription.UniEmitter;
import io.tollgate.infra.config.TollgateConfig;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.mutiny.redis.client.Redis;
import io.vertx.redis.client.Command;
import io.vertx.redis.client.RedisConnection;
import io.vertx.redis.client.Request;
import io.vertx.mutiny.redis.client.Response;
import jakarta.annotation.Priority;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Singleton;
import jakarta.interceptor.Interceptor;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Supplier;
import org.jboss.logging.Logger;

/**
 * The hot path's way to Redis: long-lived connections, each pipelining many commands.
 *
 * <p>A call made on a Vert.x event loop uses that event loop's own connection, opened on that loop: the request,
 * its Redis command, the reply and the HTTP answer then stay on one thread. Round-robin over shared connections
 * handed three of four debits to another event loop and back (two thread wake-ups per debit), which on a busy
 * 2-core pod cost CPU and, above all, tail latency. Calls from other threads (workers, the scheduler, tests) use
 * {@code tollgate.redis.connections} shared connections round-robin.
 *
 * <p>Why not the pool: a pooled, connection-less send borrows a connection per command and does not pipeline, and
 * on a Redis Cluster each pooled cluster connection holds one connection per node, so more requests in flight than
 * pool slots deadlock. Held connections have neither problem. A connection that fails or closes is replaced on the
 * next call. Scripts run with EVALSHA; on NOSCRIPT (a fresh, restarted or failed-over node) the call falls back
 * once to EVAL with the source, which also caches the script on the node that owns the keys.
 */
@Singleton
public class ScriptRunner {
    private static final Logger LOG = Logger.getLogger(ScriptRunner.class);
    /** No Redis call may hang a request: a reply slower than this is a failure (503 to the client). */
    public static final Duration TIMEOUT = Duration.ofSeconds(5);

    private final io.vertx.redis.client.Redis redis;
    private final io.vertx.core.Vertx vertx;
    private final AtomicReference<Future<RedisConnection>>[] connections;
    private final AtomicInteger next = new AtomicInteger();
    /** The calling event loop's own connection (one slot per event-loop thread, created on first use). */
    private final ThreadLocal<AtomicReference<Future<RedisConnection>>> ownConnection = ThreadLocal.withInitial(AtomicReference::new);

    private final java.util.EnumMap<LuaScript, io.micrometer.core.instrument.Counter> calls = new java.util.EnumMap<>(LuaScript.class);
    /** Set when the application stops: Quarkus then closes the Redis client and every connection with it, which is no news. */
    private volatile boolean stopping;

    public ScriptRunner(Redis redis, io.vertx.core.Vertx vertx, TollgateConfig config, io.micrometer.core.instrument.MeterRegistry metrics) {
        for (LuaScript script : LuaScript.values()) {
            calls.put(script, io.micrometer.core.instrument.Counter.builder("tollgate.redis.script.calls")
                    .description("Lua script calls this pod sent to Redis, by script (a batch: one per bucket)")
                    .tag("script", script.name().toLowerCase(java.util.Locale.ROOT)).register(metrics));
        }
        int count = config.redis().connections();
        if (count < 1 || count > 64) {
            throw new IllegalArgumentException("tollgate.redis.connections must be 1..64");
        }
        this.redis = redis.getDelegate();
        this.vertx = vertx;
        this.connections = new AtomicReference[count];
        for (int i = 0; i < count; i++) {
            connections[i] = new AtomicReference<>();
        }
    }

    /** After the other stop observers, which may still call Redis (the relay hands its leases back). */
    void stopping(@Observes @Priority(Interceptor.Priority.PLATFORM_AFTER) ShutdownEvent stop) {
        stopping = true;
    }

    public Uni<Response> run(LuaScript script, List<String> keys, List<String> args) {
        calls.get(script).increment();
        Request evalsha = request(Command.EVALSHA, script.sha1(), keys, args);
        return Uni.createFrom().emitter(emitter -> call(evalsha, () -> request(Command.EVAL, script.source(), keys, args), emitter));
    }

    public Uni<Response> send(io.vertx.mutiny.redis.client.Request request) {
        Request bare = request.getDelegate();
        return Uni.createFrom().emitter(emitter -> call(bare, null, emitter));
    }

    /**
     * One Uni step per call, on bare Vert.x futures inside: the Mutiny chain it replaced (connection, send, timeout,
     * NOSCRIPT recovery) made five steps, each capturing and restoring the request's context, on every debit.
     * {@code onNoScript} (null: none) is sent once, on the same connection, if Redis does not know the script.
     */
    private void call(Request request, Supplier<Request> onNoScript, UniEmitter<? super Response> emitter) {
        long timer = vertx.setTimer(TIMEOUT.toMillis(), id -> emitter.fail(new TimeoutException()));
        connection().onComplete(opened -> {
            if (opened.failed()) {
                finish(timer, opened.cause(), null, emitter);
                return;
            }
            opened.result().send(request).onComplete(reply -> {
                if (reply.failed() && onNoScript != null && isNoScript(reply.cause())) {
                    opened.result().send(onNoScript.get()).onComplete(retried -> finish(timer, retried.cause(), retried.result(), emitter));
                } else {
                    finish(timer, reply.cause(), reply.result(), emitter);
                }
            });
        });
    }

    private void finish(long timer, Throwable failure, io.vertx.redis.client.Response reply, UniEmitter<? super Response> emitter) {
        vertx.cancelTimer(timer);
        if (failure != null) {
            emitter.fail(failure);
        } else {
            emitter.complete(Response.newInstance(reply));
        }
    }

    private Future<RedisConnection> connection() {
        if (Context.isOnEventLoopThread()) {
            return connection(ownConnection.get());
        }
        return connection(connections[Math.floorMod(next.getAndIncrement(), connections.length)]);
    }

    private Future<RedisConnection> connection(AtomicReference<Future<RedisConnection>> slot) {
        Future<RedisConnection> current = slot.get();
        if (current != null) {
            return current;
        }
        // Opened from the calling thread: on an event loop, the connection's socket lives on that loop.
        Promise<RedisConnection> opening = Promise.promise();
        Future<RedisConnection> mine = opening.future();
        if (!slot.compareAndSet(null, mine)) {
            return slot.get();
        }
        redis.connect().onComplete(connected -> {
            if (connected.failed()) {
                forget(slot, mine, connected.cause());
                opening.fail(connected.cause());
                return;
            }
            RedisConnection connection = connected.result();
            connection.exceptionHandler(failure -> forget(slot, mine, failure));
            connection.endHandler(v -> forget(slot, mine, null));
            opening.complete(connection);
        });
        return mine;
    }

    private void forget(AtomicReference<Future<RedisConnection>> slot, Future<RedisConnection> broken, Throwable failure) {
        if (slot.compareAndSet(broken, null)) {
            LOG.logf(stopping ? Logger.Level.DEBUG : Logger.Level.WARN, "Redis connection dropped (%s); the next call reconnects",
                    failure == null ? "closed" : failure.toString());
        }
    }

    private static Request request(Command command, String scriptOrSha, List<String> keys, List<String> args) {
        Request request = Request.cmd(command).arg(scriptOrSha).arg(keys.size());
        for (String key : keys) {
            request.arg(key);
        }
        for (String arg : args) {
            request.arg(arg);
        }
        return request;
    }

    private static boolean isNoScript(Throwable failure) {
        String message = failure.getMessage();
        return message != null && message.startsWith("NOSCRIPT");
    }
}
