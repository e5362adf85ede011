package io.tollgate.infra.http;

import io.tollgate.infra.Ids;
import io.tollgate.infra.config.TollgateConfig;

/**
 * The {@code Idempotency-Key} header: 1–255 printable ASCII characters. Records are kept per tenant under
 * a hash of (tenant, key), so the caller's text never becomes part of a Redis key or chooses a cluster slot.
 */
public final class IdempotencyKey {
    public static final String HEADER = "Idempotency-Key";
    public static final String REPLAYED_HEADER = "Idempotent-Replayed";
    public static final int MAX_CHARS = 255;
    static final long MIN_TTL_SECONDS = 86_400;
    static final long MAX_TTL_SECONDS = 31_536_000; // the scripts refuse more than a year

    private IdempotencyKey() {
    }

    /** {@code tollgate.idempotency.ttl} in seconds; refuses to start with less than 24 hours or more than a year. */
    public static long ttlSeconds(TollgateConfig config) {
        long seconds = config.idempotency().ttl().toSeconds();
        if (seconds < MIN_TTL_SECONDS || seconds > MAX_TTL_SECONDS) {
            throw new IllegalArgumentException("tollgate.idempotency.ttl must be 24h..365d, was " + config.idempotency().ttl());
        }
        return seconds;
    }

    public static boolean isValid(String key) {
        if (key == null || key.isEmpty() || key.length() > MAX_CHARS) {
            return false;
        }
        for (int i = 0; i < key.length(); i++) {
            char c = key.charAt(i);
            if (c < 0x20 || c > 0x7e) {
                return false;
            }
        }
        return true;
    }

    /**
     * Checks the header and returns its tenant-scoped hash, {@link Ids#sha256Key} of tenant and key: 26 characters of
     * [a-z2-7]. Error: {@code invalid-idempotency-key}.
     */
    public static String require(String tenantId, String key) {
        if (!isValid(key)) {
            throw new ProblemException(ProblemType.INVALID_IDEMPOTENCY_KEY,
                    HEADER + " must be 1.." + MAX_CHARS + " printable ASCII characters");
        }
        return Ids.sha256Key(tenantId + "\n" + key);
    }
}
