package io.tollgate.infra;

import io.smallrye.mutiny.Uni;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;

/**
 * A per-pod cache with a time limit and a size limit, and one load in flight per key: when an entry expires, the
 * requests that find it so share a single lookup instead of all going to Redis at once. A failed load is not kept.
 */
public final class ExpiringCache<K, V> {
    private final long ttlNanos;
    private final int maxEntries;
    private final Map<K, Entry<V>> entries = new ConcurrentHashMap<>();

    private record Entry<V>(Uni<V> value, long expiresAtNanos) {
    }

    public ExpiringCache(Duration ttl, int maxEntries) {
        if (ttl.isNegative() || maxEntries < 1) {
            throw new IllegalArgumentException("ttl must be >= 0 and maxEntries >= 1");
        }
        this.ttlNanos = ttl.toNanos();
        this.maxEntries = maxEntries;
    }

    public Uni<V> get(K key, Supplier<Uni<V>> load) {
        long now = System.nanoTime();
        Entry<V> current = entries.get(key);
        if (current != null && current.expiresAtNanos() - now > 0) {
            return current.value();
        }
        if (entries.size() >= maxEntries) {
            entries.clear(); // crude but bounded: a full cache starts over rather than growing
        }
        Entry<V> fresh = new Entry<>(load.get().memoize().indefinitely(), now + ttlNanos);
        boolean mine = current == null ? entries.putIfAbsent(key, fresh) == null : entries.replace(key, current, fresh);
        Entry<V> used = mine ? fresh : entries.getOrDefault(key, fresh);
        return used.value().onFailure().invoke(() -> entries.remove(key, used));
    }

    public void invalidate(K key) {
        entries.remove(key);
    }
}
