package io.tollgate.support;

import io.quarkus.redis.datasource.RedisDataSource;
import io.tollgate.infra.redis.Keys;
import io.vertx.mutiny.redis.client.Response;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** Reads Redis directly to check what the API cannot show: outbox entries, key counts, command counts. */
public final class RedisInspector {
    private final RedisDataSource redis;
    private final Keys keys;

    public RedisInspector(RedisDataSource redis, Keys keys) {
        this.redis = redis;
        this.keys = keys;
    }

    /** The outbox events of one wallet, in stream order, as field maps. */
    public List<Map<String, String>> events(String walletId) {
        Response entries = redis.execute("XRANGE", keys.outboxOf(walletId), "-", "+");
        List<Map<String, String>> events = new ArrayList<>();
        for (Response entry : entries) {
            Response fields = entry.get(1);
            Map<String, String> event = new HashMap<>();
            for (int i = 0; i < fields.size(); i += 2) {
                event.put(fields.get(i).toString(), fields.get(i + 1).toString());
            }
            if (walletId.equals(event.get("wallet"))) {
                events.add(event);
            }
        }
        return events;
    }

    public long dbSize() {
        return redis.execute("DBSIZE").toLong();
    }

    public long streamLength(String walletId) {
        return redis.execute("XLEN", keys.outboxOf(walletId)).toLong();
    }

    public Map<String, String> walletHash(String walletId) {
        return new HashMap<>(redis.hash(String.class).hgetall(keys.wallet(walletId)));
    }

    /** A fingerprint of everything stored: key count, every wallet hash and stream length of the given wallets. */
    public String snapshot(String... walletIds) {
        StringBuilder s = new StringBuilder("dbsize=").append(dbSize());
        for (String w : walletIds) {
            s.append(' ').append(w).append('=').append(new java.util.TreeMap<>(walletHash(w))).append(" xlen=").append(streamLength(w));
        }
        return s.toString();
    }
}
