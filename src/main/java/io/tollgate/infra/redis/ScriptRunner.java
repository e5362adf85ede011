package io.tollgate.infra.redis;

import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.redis.client.Redis;
import io.vertx.mutiny.redis.client.Request;
import io.vertx.mutiny.redis.client.Response;
import io.vertx.mutiny.redis.client.Command;
import jakarta.inject.Singleton;
import java.time.Duration;
import java.util.List;

/**
 * Runs a {@link LuaScript} with EVALSHA. On NOSCRIPT (a fresh or restarted node, a failover, another cluster
 * node) it falls back once to EVAL with the source, which also caches the script on the node that owns the keys.
 */
@Singleton
public class ScriptRunner {
    /** No Redis call may hang a request: a reply slower than this is a failure. */
    public static final Duration TIMEOUT = Duration.ofSeconds(5);

    private final Redis redis;

    public ScriptRunner(Redis redis) {
        this.redis = redis;
    }

    public Uni<Response> run(LuaScript script, List<String> keys, List<String> args) {
        return redis.send(request(Command.EVALSHA, script.sha1(), keys, args))
                .onFailure(ScriptRunner::isNoScript)
                .recoverWithUni(() -> redis.send(request(Command.EVAL, script.source(), keys, args)))
                .ifNoItem().after(TIMEOUT).fail();
    }

    public Uni<Response> send(Request request) {
        return bounded(redis.send(request));
    }

    /** Bounds any Redis call: no request waits longer than {@link #TIMEOUT} for Redis; it fails with 503 instead. */
    public static <T> Uni<T> bounded(Uni<T> call) {
        return call.ifNoItem().after(TIMEOUT).fail();
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
