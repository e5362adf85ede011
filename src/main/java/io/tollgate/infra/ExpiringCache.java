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

    /** A load in flight or done; {@code loaded} is set once it succeeded, so a hit needs no Uni step at all. */
    private static final class Entry<V> {
        final long expiresAtNanos;
        Uni<V> value;
        volatile V loaded;

        Entry(long expiresAtNanos) {
            this.expiresAtNanos = expiresAtNanos;
        }
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
        if (current != null && current.expiresAtNanos - now > 0) {
            return current.value;
        }
        if (entries.size() >= maxEntries) {
            entries.clear(); // crude but bounded: a full cache starts over rather than growing
        }
        Entry<V> fresh = new Entry<>(now + ttlNanos);
        fresh.value = load.get().invoke(v -> fresh.loaded = v).memoize().indefinitely();
        boolean mine = current == null ? entries.putIfAbsent(key, fresh) == null : entries.replace(key, current, fresh);
        Entry<V> used = mine ? fresh : entries.getOrDefault(key, fresh);
        return used.value.onFailure().invoke(() -> entries.remove(key, used));
    }

    /**
     * The value loaded for {@code key} and not yet expired, or null (nothing loaded yet, still loading, expired):
     * the hot path's hit without a Uni step. A null answer sends the caller to {@link #get}.
     */
    public V peek(K key) {
        Entry<V> current = entries.get(key);
        return current != null && current.expiresAtNanos - System.nanoTime() > 0 ? current.loaded : null;
    }

    public void invalidate(K key) {
        entries.remove(key);
    }
}
