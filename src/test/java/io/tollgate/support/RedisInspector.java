package io.tollgate.support;

import io.quarkus.redis.datasource.RedisDataSource;
import io.tollgate.infra.redis.Keys;
import io.tollgate.outbox.OutboxEvent;
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

    /**
     * The outbox events of one wallet, in stream order, one field map per event with the fields of a one-event entry
     * (id, type, wallet, tenant, seq, cur, amt, bal, ts, data): packed entries are unpacked by the relay's own reader.
     */
    public List<Map<String, String>> events(String walletId) {
        List<Map<String, String>> events = new ArrayList<>();
        for (Map.Entry<String, Map<String, String>> entry : entries(walletId)) {
            for (OutboxEvent e : OutboxEvent.fromEntry(entry.getKey(), entry.getValue())) {
                events.add(fieldsOf(e));
            }
        }
        return events;
    }

    /** Outbox entries that belong to the wallet (a packed entry holds every event one debit call made for it). */
    public long entryCount(String walletId) {
        return entries(walletId).size();
    }

    /** The wallet's entries in its bucket's outbox, in stream order: (entry id, fields). */
    private List<Map.Entry<String, Map<String, String>>> entries(String walletId) {
        List<Map.Entry<String, Map<String, String>>> entries = new ArrayList<>();
        for (Response entry : redis.execute("XRANGE", keys.outboxOf(walletId), "-", "+")) {
            Response fields = entry.get(1);
            Map<String, String> map = new HashMap<>();
            for (int i = 0; i + 1 < fields.size(); i += 2) {
                map.put(fields.get(i).toString(), fields.get(i + 1).toString());
            }
            if (walletId.equals(map.get("wallet"))) {
                entries.add(Map.entry(entry.get(0).toString(), map));
            }
        }
        return entries;
    }

    private static Map<String, String> fieldsOf(OutboxEvent e) {
        Map<String, String> f = new HashMap<>();
        f.put("id", e.eventId());
        f.put("type", e.type());
        f.put("wallet", e.walletId());
        f.put("tenant", e.tenantId());
        f.put("seq", String.valueOf(e.seq()));
        f.put("cur", e.currency());
        f.put("amt", String.valueOf(e.amountMicros()));
        f.put("bal", String.valueOf(e.balanceAfterMicros()));
        f.put("ts", String.valueOf(e.occurredAtMillis()));
        f.put("data", e.detailJson());
        return f;
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
