package io.tollgate.tenant;

import io.quarkus.redis.datasource.ReactiveRedisDataSource;
import io.quarkus.redis.datasource.hash.ReactiveHashCommands;
import io.quarkus.redis.datasource.set.ReactiveSetCommands;
import io.smallrye.mutiny.Uni;
import io.tollgate.infra.Times;
import io.tollgate.infra.Unis;
import io.tollgate.infra.Ids;
import io.tollgate.infra.http.ProblemException;
import io.tollgate.infra.http.ProblemType;
import io.tollgate.infra.redis.Keys;
import io.tollgate.infra.redis.Replies;
import io.tollgate.infra.redis.ScriptRunner;
import io.vertx.mutiny.redis.client.Command;
import io.vertx.mutiny.redis.client.Request;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.Comparator;
import java.util.List;
import java.util.Map;

/**
 * Tenants. Errors: {@code invalid-request} (name), {@code tenant-not-found}.
 */
@ApplicationScoped
public class TenantService {
    static final int NAME_MAX_CHARS = 200;
    static final int LIST_MAX = 1000;

    private final ScriptRunner gateway;
    private final ReactiveHashCommands<String, String, String> hashes;
    private final ReactiveSetCommands<String, String> sets;
    private final Keys keys;

    public TenantService(ReactiveRedisDataSource redis, ScriptRunner gateway, Keys keys) {
        this.gateway = gateway;
        this.hashes = redis.hash(String.class);
        this.sets = redis.set(String.class);
        this.keys = keys;
    }

    public Uni<Tenant> create(String name) {
        if (name == null || name.isBlank() || name.length() > NAME_MAX_CHARS) {
            throw new ProblemException(ProblemType.INVALID_REQUEST, "name must be 1.." + NAME_MAX_CHARS + " characters");
        }
        Tenant tenant = new Tenant(Ids.newId("t_"), name.strip(), Times.now());
        return hashes.hset(keys.tenant(tenant.id()), Map.of("name", tenant.name(), "created", String.valueOf(tenant.createdAt().toEpochMilli())))
                .chain(() -> sets.sadd(keys.tenants(), tenant.id()))
                .replaceWith(tenant);
    }

    public Uni<Tenant> get(String tenantId) {
        if (!Ids.isWellFormed(tenantId)) {
            return Uni.createFrom().failure(notFound(tenantId));
        }
        return gateway.send(Request.cmd(Command.HGETALL).arg(keys.tenant(tenantId))).map(Replies::hash).map(fields -> {
            if (fields.isEmpty()) {
                throw notFound(tenantId);
            }
            return new Tenant(tenantId, fields.get("name"), java.time.Instant.ofEpochMilli(Long.parseLong(fields.get("created"))));
        });
    }

    public Uni<List<Tenant>> list() {
        return sets.smembers(keys.tenants())
                .chain(ids -> Unis.all(ids.stream().sorted().limit(LIST_MAX).map(this::get).toList()))
                .map(all -> all.stream().sorted(Comparator.comparing(Tenant::id)).toList());
    }

    private static ProblemException notFound(String tenantId) {
        return new ProblemException(ProblemType.TENANT_NOT_FOUND, "no tenant " + tenantId);
    }
}
