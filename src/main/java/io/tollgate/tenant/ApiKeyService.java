package io.tollgate.tenant;

import io.quarkus.redis.datasource.ReactiveRedisDataSource;
import io.quarkus.redis.datasource.hash.ReactiveHashCommands;
import io.quarkus.redis.datasource.set.ReactiveSetCommands;
import io.quarkus.redis.datasource.value.ReactiveValueCommands;
import io.smallrye.mutiny.Uni;
import io.tollgate.infra.Unis;
import io.tollgate.infra.ExpiringCache;
import io.tollgate.infra.Ids;
import io.tollgate.infra.config.TollgateConfig;
import io.tollgate.infra.http.ProblemException;
import io.tollgate.infra.http.ProblemType;
import io.tollgate.infra.redis.Keys;
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
 * Errors: {@code invalid-request} (role, name), {@code not-found} (another tenant's or unknown key).
 */
@ApplicationScoped
@io.quarkus.runtime.Startup
public class ApiKeyService {
    private static final Logger LOG = Logger.getLogger(ApiKeyService.class);
    static final Duration MAX_CACHE_TTL = Duration.ofSeconds(5);
    static final int KEYS_PER_TENANT_MAX = 100;
    static final String SECRET_PREFIX = "tg_";

    private final ScriptRunner gateway;
    private final ReactiveHashCommands<String, String, String> hashes;
    private final ReactiveValueCommands<String, String> values;
    private final ReactiveSetCommands<String, String> sets;
    private final Keys keys;
    private final byte[] bootstrapHash;
    private final ExpiringCache<String, Optional<Caller>> cache;

    public ApiKeyService(ReactiveRedisDataSource redis, ScriptRunner gateway, Keys keys, TollgateConfig config) {
        this.gateway = gateway;
        this.hashes = redis.hash(String.class);
        this.values = redis.value(String.class);
        this.sets = redis.set(String.class);
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

    /** The caller a secret stands for, or empty for an unknown or revoked key. */
    public Uni<Optional<Caller>> resolve(String secret) {
        String hash = Ids.sha256Hex(secret);
        if (MessageDigest.isEqual(bootstrapHash, hash.getBytes(StandardCharsets.US_ASCII))) {
            return Uni.createFrom().item(Optional.of(new Caller("bootstrap", null, Role.ADMIN)));
        }
        return cache.get(hash, () -> gateway.send(Request.cmd(Command.HGETALL).arg(keys.apiKeyByHash(hash)))
                .map(Replies::hash)
                .map(fields -> fields.isEmpty() || fields.containsKey("revoked")
                        ? Optional.<Caller>empty()
                        : Optional.of(new Caller(fields.get("id"), fields.get("tenant"), Role.parse(fields.get("role"))))));
    }

    public Uni<ApiKey> create(String tenantId, Role role, String name) {
        if (role == null || role == Role.ADMIN) {
            throw new ProblemException(ProblemType.INVALID_REQUEST, "role must be pipeline, viewer or owner");
        }
        if (name != null && name.length() > 200) {
            throw new ProblemException(ProblemType.INVALID_REQUEST, "name must be at most 200 characters");
        }
        String secret = Ids.newSecret(SECRET_PREFIX);
        String hash = Ids.sha256Hex(secret);
        ApiKey key = new ApiKey(Ids.newId("key_"), tenantId, role, name == null ? "" : name, System.currentTimeMillis(), null, secret);
        Map<String, String> fields = Map.of("id", key.id(), "tenant", tenantId, "role", role.json(),
                "name", key.name(), "created", String.valueOf(key.createdAtMillis()));
        return sets.scard(keys.tenantKeys(tenantId)).chain(count -> {
            if (count >= KEYS_PER_TENANT_MAX) {
                throw new ProblemException(ProblemType.INVALID_REQUEST, "a tenant may hold at most " + KEYS_PER_TENANT_MAX + " keys");
            }
            return hashes.hset(keys.apiKeyByHash(hash), fields);
        }).chain(() -> values.set(keys.apiKey(key.id()), hash))
                .chain(() -> sets.sadd(keys.tenantKeys(tenantId), key.id()))
                .replaceWith(key);
    }

    public Uni<List<ApiKey>> list(String tenantId) {
        return sets.smembers(keys.tenantKeys(tenantId))
                .chain(ids -> Unis.all(ids.stream().map(id -> find(tenantId, id)).toList()))
                .map(all -> all.stream().sorted(Comparator.comparing(ApiKey::createdAtMillis)).toList());
    }

    public Uni<ApiKey> revoke(String tenantId, String keyId) {
        return find(tenantId, keyId).chain(key -> key.revokedAtMillis() != null ? Uni.createFrom().item(key)
                : values.get(keys.apiKey(keyId))
                        .chain(hash -> hashes.hsetnx(keys.apiKeyByHash(hash), "revoked", String.valueOf(System.currentTimeMillis())))
                        .chain(() -> find(tenantId, keyId)));
    }

    private Uni<ApiKey> find(String tenantId, String keyId) {
        if (!Ids.isWellFormed(keyId)) {
            return Uni.createFrom().failure(new ProblemException(ProblemType.NOT_FOUND, "no API key " + keyId));
        }
        return values.get(keys.apiKey(keyId))
                .chain(hash -> hash == null ? Uni.createFrom().item(Map.<String, String>of()) : hashes.hgetall(keys.apiKeyByHash(hash)))
                .map(fields -> {
                    if (fields.isEmpty() || !tenantId.equals(fields.get("tenant"))) {
                        throw new ProblemException(ProblemType.NOT_FOUND, "no API key " + keyId);
                    }
                    String revoked = fields.get("revoked");
                    return new ApiKey(keyId, tenantId, Role.parse(fields.get("role")), fields.get("name"),
                            Long.parseLong(fields.get("created")), revoked == null ? null : Long.parseLong(revoked), null);
                });
    }
}
