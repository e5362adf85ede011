package io.tollgate.tenant;

import io.quarkus.redis.datasource.ReactiveRedisDataSource;
import io.quarkus.redis.datasource.hash.ReactiveHashCommands;
import io.quarkus.redis.datasource.keys.ReactiveKeyCommands;
import io.quarkus.redis.datasource.set.ReactiveSetCommands;
import io.quarkus.redis.datasource.sortedset.ReactiveSortedSetCommands;
import io.quarkus.redis.datasource.value.ReactiveValueCommands;
import io.smallrye.mutiny.Uni;
import io.tollgate.infra.Times;
import io.tollgate.infra.Unis;
import io.tollgate.infra.ExpiringCache;
import io.tollgate.infra.Ids;
import io.tollgate.infra.config.TollgateConfig;
import io.tollgate.infra.http.ProblemException;
import io.tollgate.infra.http.ProblemType;
import io.tollgate.infra.redis.Keys;
import io.tollgate.infra.redis.LuaScript;
import io.tollgate.infra.redis.Replies;
import io.tollgate.infra.redis.ScriptRunner;
import io.vertx.mutiny.redis.client.Command;
import io.vertx.mutiny.redis.client.Request;
import jakarta.enterprise.context.ApplicationScoped;
import java.security.MessageDigest;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.jboss.logging.Logger;

/**
 * API keys: random 256-bit secrets, shown once, stored only as their SHA-256. A pod trusts a resolved key for
 * {@code tollgate.auth.cache-ttl} (at most 5 s), so a revocation reaches every pod within that time.
 * Errors: {@code invalid-request} (role, name), {@code api-key-limit} (100 active keys), {@code not-found} (another
 * tenant's or unknown key).
 */
@ApplicationScoped
@io.quarkus.runtime.Startup
public class ApiKeyService {
    private static final Logger LOG = Logger.getLogger(ApiKeyService.class);
    static final Duration MAX_CACHE_TTL = Duration.ofSeconds(5);
    /** Active (unrevoked) keys per tenant: a rotation revokes the old key, so rotating never runs into it. */
    static final int KEYS_PER_TENANT_MAX = 100;
    /** Revoked keys listed (with their records kept) per tenant: the newest this many; older ones are deleted. */
    static final int REVOKED_KEYS_LISTED_MAX = 100;
    static final String SECRET_PREFIX = "tg_";

    private final ScriptRunner gateway;
    private final ReactiveHashCommands<String, String, String> hashes;
    private final ReactiveValueCommands<String, String> values;
    private final ReactiveSetCommands<String, String> sets;
    private final ReactiveSortedSetCommands<String, String> revokedListed;
    private final ReactiveKeyCommands<String> keyCommands;
    private final Keys keys;
    private final byte[] bootstrapHash;
    private final ExpiringCache<String, Optional<Caller>> cache;

    public ApiKeyService(ReactiveRedisDataSource redis, ScriptRunner gateway, Keys keys, TollgateConfig config) {
        this.gateway = gateway;
        this.hashes = redis.hash(String.class);
        this.values = redis.value(String.class);
        this.sets = redis.set(String.class);
        this.revokedListed = redis.sortedSet(String.class);
        this.keyCommands = redis.key(String.class);
        this.keys = keys;
        Duration ttl = config.auth().cacheTtl();
        if (ttl.isNegative() || ttl.compareTo(MAX_CACHE_TTL) > 0) {
            throw new IllegalArgumentException("tollgate.auth.cache-ttl must be 0..5s so revocations apply within 5 s");
        }
        this.cache = new ExpiringCache<>(ttl, config.auth().cacheMaxEntries());
        String bootstrap = config.admin().bootstrapKey().orElseGet(() -> {
            String generated = Ids.newSecret(SECRET_PREFIX + "admin_");
            LOG.warnf("tollgate.admin.bootstrap-key is not set; this run's admin key is %s", generated);
            return generated;
        });
        this.bootstrapHash = Ids.sha256Hex(bootstrap).getBytes(StandardCharsets.US_ASCII);
    }

    /** The caller a secret (given as its SHA-256 hex) stands for, or empty for an unknown or revoked key. */
    public Uni<Optional<Caller>> resolve(String secretHash) {
        Optional<Caller> known = resolvedNow(secretHash);
        return known != null ? Uni.createFrom().item(known) : load(secretHash);
    }

    /**
     * What {@link #resolve} would answer, if it can without Redis: the bootstrap key, or a key this pod resolved
     * within the cache TTL. Null when a lookup is needed. The hot path's way round a Uni step per request.
     */
    public Optional<Caller> resolvedNow(String secretHash) {
        if (MessageDigest.isEqual(bootstrapHash, secretHash.getBytes(StandardCharsets.US_ASCII))) {
            return Optional.of(new Caller("bootstrap", null, Role.ADMIN));
        }
        return cache.peek(secretHash);
    }

    private Uni<Optional<Caller>> load(String hash) {
        return cache.get(hash, () -> gateway.send(Request.cmd(Command.HGETALL).arg(keys.apiKeyByHash(hash)))
                .map(Replies::hash)
                .map(fields -> fields.isEmpty() || fields.containsKey("revoked")
                        ? Optional.<Caller>empty()
                        : Optional.of(new Caller(fields.get("id"), fields.get("tenant"), Role.parse(fields.get("role"))))));
    }

    /**
     * Creates a key: its records first, then its place among the tenant's active keys, which a script grants only
     * below {@link #KEYS_PER_TENANT_MAX}. A key refused for the limit is deleted again; one whose admission never
     * happened (the pod died in between) is listed nowhere, and its secret was never shown. Errors:
     * {@code invalid-request}, {@code api-key-limit}.
     */
    public Uni<ApiKey> create(String tenantId, Role role, String name) {
        if (role == null || role == Role.ADMIN) {
            throw new ProblemException(ProblemType.INVALID_REQUEST, "role must be pipeline, viewer or owner");
        }
        if (name != null && name.length() > 200) {
            throw new ProblemException(ProblemType.INVALID_REQUEST, "name must be at most 200 characters");
        }
        String secret = Ids.newSecret(SECRET_PREFIX);
        String hash = Ids.sha256Hex(secret);
        ApiKey key = new ApiKey(Ids.newId("key_"), tenantId, role, name == null ? "" : name, Times.now(), null, secret);
        Map<String, String> fields = Map.of("id", key.id(), "tenant", tenantId, "role", role.json(),
                "name", key.name(), "created", String.valueOf(key.createdAt().toEpochMilli()));
        return hashes.hset(keys.apiKeyByHash(hash), fields)
                .chain(() -> values.set(keys.apiKey(key.id()), hash))
                .chain(() -> admit(tenantId, key.id(), true))
                .chain(admitted -> admitted ? Uni.createFrom().item(key)
                        : deleteRecords(key.id()).chain(() -> Uni.createFrom().failure(new ProblemException(ProblemType.API_KEY_LIMIT,
                                "a tenant may hold at most " + KEYS_PER_TENANT_MAX + " active keys; revoke one first"))));
    }

    /** The tenant's active keys, then its most recently revoked ones, oldest first, without secrets. */
    public Uni<List<ApiKey>> list(String tenantId) {
        return sets.smembers(keys.tenantKeys(tenantId))
                .chain(active -> revokedListed.zrange(keys.tenantRevokedKeys(tenantId), 0, -1).map(revoked -> {
                    java.util.Set<String> ids = new java.util.LinkedHashSet<>(active);
                    ids.addAll(revoked);
                    return ids;
                }))
                // a key deleted between the two reads (pruned, or refused for the limit) is left out, not a 404
                .chain(ids -> Unis.all(ids.stream().map(id -> find(tenantId, id)
                        .onFailure(ProblemException.class).recoverWithNull()).toList()))
                .map(all -> all.stream().filter(java.util.Objects::nonNull).sorted(Comparator.comparing(ApiKey::createdAt)).toList());
    }

    /**
     * Marks the key revoked (what every pod's authentication reads), then moves it from the tenant's active keys to
     * its revoked ones, so it no longer counts toward the limit. Each step is idempotent: revoking again finishes
     * a revocation a failure interrupted. Errors: {@code not-found}.
     */
    public Uni<ApiKey> revoke(String tenantId, String keyId) {
        return find(tenantId, keyId).chain(key -> key.revokedAt() != null ? Uni.createFrom().item(key)
                : values.get(keys.apiKey(keyId))
                        .chain(hash -> hashes.hsetnx(keys.apiKeyByHash(hash), "revoked", String.valueOf(System.currentTimeMillis())))
                        .chain(() -> find(tenantId, keyId)))
                .call(key -> retire(tenantId, keyId, key.revokedAt().toEpochMilli()));
    }

    /** 1 from key_admit.lua: admitted. At the limit, active-set members that are in fact revoked are retired first, once. */
    private Uni<Boolean> admit(String tenantId, String keyId, boolean sweepWhenFull) {
        return gateway.run(LuaScript.KEY_ADMIT, List.of(keys.tenantKeys(tenantId)), List.of(keyId, String.valueOf(KEYS_PER_TENANT_MAX)))
                .chain(reply -> reply.toLong() == 1 ? Uni.createFrom().item(true)
                        : sweepWhenFull ? sweepActive(tenantId).chain(() -> admit(tenantId, keyId, false)) : Uni.createFrom().item(false));
    }

    /**
     * Keys revoked before revocation moved them (data written before 2026-12-01), or whose move a failure
     * interrupted, still sit among the active keys: retired here. Bounded by the limit: at most 100 lookups.
     */
    private Uni<Void> sweepActive(String tenantId) {
        return sets.smembers(keys.tenantKeys(tenantId))
                .chain(ids -> Unis.all(ids.stream().map(id -> recordOf(id).chain(fields -> {
                    if (fields.isEmpty()) {
                        return sets.srem(keys.tenantKeys(tenantId), id).replaceWithVoid();
                    }
                    String revoked = fields.get("revoked");
                    return revoked == null ? Uni.createFrom().voidItem() : retire(tenantId, id, Long.parseLong(revoked));
                })).toList()))
                .replaceWithVoid();
    }

    /** Lists the key among the revoked ones, takes it off the active ones, and deletes the oldest revoked beyond the cap. */
    private Uni<Void> retire(String tenantId, String keyId, long revokedAtMillis) {
        String revoked = keys.tenantRevokedKeys(tenantId);
        return revokedListed.zadd(revoked, revokedAtMillis, keyId)
                .chain(() -> sets.srem(keys.tenantKeys(tenantId), keyId))
                .chain(() -> revokedListed.zcard(revoked))
                .chain(count -> count <= REVOKED_KEYS_LISTED_MAX ? Uni.createFrom().item(List.<String>of())
                        : revokedListed.zrange(revoked, 0, count - REVOKED_KEYS_LISTED_MAX - 1))
                .chain(oldest -> Unis.all(oldest.stream()
                        .map(id -> deleteRecords(id).chain(() -> revokedListed.zrem(revoked, id)).replaceWithVoid()).toList()))
                .replaceWithVoid();
    }

    /** Deletes a key's two records; its secret then resolves to nothing, as a revoked one does (401). */
    private Uni<Void> deleteRecords(String keyId) {
        return values.get(keys.apiKey(keyId))
                .chain(hash -> hash == null ? Uni.createFrom().item(0) : keyCommands.del(keys.apiKeyByHash(hash)))
                .chain(() -> keyCommands.del(keys.apiKey(keyId)))
                .replaceWithVoid();
    }

    /** A key's fields, empty when it has no records. */
    private Uni<Map<String, String>> recordOf(String keyId) {
        return values.get(keys.apiKey(keyId))
                .chain(hash -> hash == null ? Uni.createFrom().item(Map.<String, String>of()) : hashes.hgetall(keys.apiKeyByHash(hash)));
    }

    private Uni<ApiKey> find(String tenantId, String keyId) {
        if (!Ids.isWellFormed(keyId)) {
            return Uni.createFrom().failure(new ProblemException(ProblemType.NOT_FOUND, "no API key " + keyId));
        }
        return recordOf(keyId).map(fields -> {
                    if (fields.isEmpty() || !tenantId.equals(fields.get("tenant"))) {
                        throw new ProblemException(ProblemType.NOT_FOUND, "no API key " + keyId);
                    }
                    String revoked = fields.get("revoked");
                    return new ApiKey(keyId, tenantId, Role.parse(fields.get("role")), fields.get("name"),
                            millis(fields.get("created")), revoked == null ? null : millis(revoked), null);
                });
    }

    private static java.time.Instant millis(String epochMillis) {
        return java.time.Instant.ofEpochMilli(Long.parseLong(epochMillis));
    }
}
