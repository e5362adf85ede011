package io.tollgate.infra.redis;

import io.tollgate.infra.config.TollgateConfig;
import jakarta.inject.Inject;
import jakarta.inject.Singleton;
import java.nio.charset.StandardCharsets;
import java.util.zip.CRC32;

/**
 * The Redis key layout. Every key of a wallet carries the hash tag {@code {b<bucket>}} so one script touches one
 * Redis Cluster slot; {@code bucket = crc32(walletId) mod B}. Tenant-level keys (tenants, API keys, rate cards)
 * are never touched by a wallet script and may live in any slot.
 */
@Singleton
@io.quarkus.runtime.Startup
public final class Keys {
    private static final String PREFIX = "tg:";
    private final int buckets;

    @Inject
    public Keys(TollgateConfig config) {
        this(config.buckets());
    }

    public Keys(int buckets) {
        if (buckets < 1 || buckets > 16_384) {
            throw new IllegalArgumentException("tollgate.buckets must be 1..16384, was " + buckets);
        }
        this.buckets = buckets;
    }

    public int bucket(String walletId) {
        CRC32 crc = new CRC32();
        crc.update(walletId.getBytes(StandardCharsets.UTF_8));
        return (int) (crc.getValue() % buckets);
    }

    public int buckets() {
        return buckets;
    }

    public String wallet(String walletId) {
        return tag(bucket(walletId)) + "w:" + walletId;
    }

    public String outbox(int bucket) {
        return tag(bucket) + "outbox";
    }

    /** Where the relay parks outbox entries that are not Tollgate events, with the reason, for an operator. */
    public String outboxDead(int bucket) {
        return tag(bucket) + "outbox-dead";
    }

    /** Held by the one pod that relays the bucket now (relay_lease.lua). */
    public String relayLease(int bucket) {
        return tag(bucket) + "relay-lease";
    }

    public String outboxOf(String walletId) {
        return outbox(bucket(walletId));
    }

    /**
     * Idempotency record in the wallet's slot; {@code keyHash} is a hash of (tenant, key) so callers cannot pick a slot.
     * An approved debit's record is also its debit record, which reversals find through the debit id (DebitIds).
     */
    public String idempotency(String walletId, String keyHash) {
        return tag(bucket(walletId)) + "idem:" + keyHash;
    }

    public String tenant(String tenantId) {
        return PREFIX + "t:" + tenantId;
    }

    public String tenants() {
        return PREFIX + "tenants";
    }

    public String tenantWallets(String tenantId) {
        return PREFIX + "t:" + tenantId + ":wallets";
    }

    public String tenantKeys(String tenantId) {
        return PREFIX + "t:" + tenantId + ":keys";
    }

    /** Revoked key ids, scored by revocation time (ms): listed until {@code ApiKeyService} prunes the oldest. */
    public String tenantRevokedKeys(String tenantId) {
        return PREFIX + "t:" + tenantId + ":keys:revoked";
    }

    public String apiKey(String keyId) {
        return PREFIX + "key:" + keyId;
    }

    public String apiKeyByHash(String secretHash) {
        return PREFIX + "keyhash:" + secretHash;
    }

    public String rateCard(String tenantId, String currency) {
        return PREFIX + "t:" + tenantId + ":rates:" + currency;
    }

    private static String tag(int bucket) {
        return PREFIX + "{b" + bucket + "}:";
    }
}
