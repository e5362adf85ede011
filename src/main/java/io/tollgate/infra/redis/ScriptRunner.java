package io.tollgate.infra.redis;

import io.smallrye.mutiny.Uni;
import io.tollgate.infra.config.TollgateConfig;
import io.vertx.mutiny.redis.client.Command;
import io.vertx.mutiny.redis.client.Redis;
import io.vertx.mutiny.redis.client.RedisConnection;
import io.vertx.mutiny.redis.client.Request;
import io.vertx.mutiny.redis.client.Response;
import jakarta.inject.Singleton;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReferenceArray;
import org.jboss.logging.Logger;

/**
 * The hot path's way to Redis: a few long-lived connections, used round-robin, each pipelining many commands.
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

    private final Redis redis;
    private final AtomicReferenceArray<Uni<RedisConnection>> connections;
    private final AtomicInteger next = new AtomicInteger();

    private final java.util.EnumMap<LuaScript, io.micrometer.core.instrument.Counter> calls = new java.util.EnumMap<>(LuaScript.class);

    public ScriptRunner(Redis redis, TollgateConfig config, io.micrometer.core.instrument.MeterRegistry metrics) {
        for (LuaScript script : LuaScript.values()) {
            calls.put(script, metrics.counter("tollgate.redis.script.calls", "script", script.name().toLowerCase(java.util.Locale.ROOT)));
        }
        int count = config.redis().connections();
        if (count < 1 || count > 64) {
            throw new IllegalArgumentException("tollgate.redis.connections must be 1..64");
        }
        this.redis = redis;
        this.connections = new AtomicReferenceArray<>(count);
    }

    public Uni<Response> run(LuaScript script, List<String> keys, List<String> args) {
        calls.get(script).increment();
        return send(request(Command.EVALSHA, script.sha1(), keys, args))
                .onFailure(ScriptRunner::isNoScript)
                .recoverWithUni(() -> send(request(Command.EVAL, script.source(), keys, args)));
    }

    public Uni<Response> send(Request request) {
        int slot = Math.floorMod(next.getAndIncrement(), connections.length());
        return bounded(connection(slot).chain(connection -> connection.send(request)));
    }

    /** Bounds any Redis call: no request waits longer than {@link #TIMEOUT} for Redis; it fails with 503 instead. */
    public static <T> Uni<T> bounded(Uni<T> call) {
        return call.ifNoItem().after(TIMEOUT).fail();
    }

    private Uni<RedisConnection> connection(int slot) {
        Uni<RedisConnection> current = connections.get(slot);
        if (current != null) {
            return current;
        }
        Uni<RedisConnection>[] self = new Uni[1];
        self[0] = redis.connect()
                .invoke(connection -> {
                    connection.exceptionHandler(failure -> forget(slot, self[0], failure));
                    connection.endHandler(() -> forget(slot, self[0], null));
                })
                .onFailure().invoke(failure -> forget(slot, self[0], failure))
                .memoize().indefinitely();
        return connections.compareAndSet(slot, null, self[0]) ? self[0] : connections.get(slot);
    }

    private void forget(int slot, Uni<RedisConnection> broken, Throwable failure) {
        if (connections.compareAndSet(slot, broken, null)) {
            LOG.warnf("Redis connection %d dropped (%s); the next call reconnects", slot, failure == null ? "closed" : failure.toString());
        }
    }

    private static Request request(Command command, String scriptOrSha, List<String> keys, List<String> args) {
        Request request = Request.cmd(command).arg(scriptOrSha).arg(keys.size());
        keys.forEach(request::arg);
        args.forEach(request::arg);
        return request;
    }

    private static boolean isNoScript(Throwable failure) {
        String message = failure.getMessage();
        return message != null && message.startsWith("NOSCRIPT");
    }
}
