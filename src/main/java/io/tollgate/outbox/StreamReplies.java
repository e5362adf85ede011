package io.tollgate.outbox;

import io.vertx.mutiny.redis.client.Response;
import java.util.AbstractMap;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** Reading Redis stream replies (XREADGROUP, XAUTOCLAIM, XINFO GROUPS) in their RESP2 and RESP3 shapes. */
final class StreamReplies {
    private StreamReplies() {
    }

    /** The entries of one stream in an XREADGROUP reply: a map keyed by stream (RESP3) or [[stream, entries]]. */
    static List<Map.Entry<String, Map<String, String>>> entriesOf(Response reply, String stream) {
        if (reply == null || reply.size() == 0) {
            return List.of();
        }
        Response list = null;
        try {
            if (reply.containsKey(stream)) {
                list = reply.get(stream);
            }
        } catch (RuntimeException notAMap) {
            list = null;
        }
        if (list == null) {
            for (Response item : reply) {
                if (item != null && item.size() == 2 && stream.equals(item.get(0).toString())) {
                    list = item.get(1);
                }
            }
        }
        return entries(list);
    }

    /** [[id, [field, value, ...]], ...]; entries deleted meanwhile come back with null fields and are skipped. */
    static List<Map.Entry<String, Map<String, String>>> entries(Response list) {
        List<Map.Entry<String, Map<String, String>>> entries = new ArrayList<>();
        if (list == null) {
            return entries;
        }
        for (Response entry : list) {
            if (entry == null || entry.size() < 2 || entry.get(1) == null) {
                continue;
            }
            Response fields = entry.get(1);
            Map<String, String> map = new HashMap<>();
            for (int i = 0; i + 1 < fields.size(); i += 2) {
                map.put(fields.get(i).toString(), fields.get(i + 1).toString());
            }
            entries.add(new AbstractMap.SimpleImmutableEntry<>(entry.get(0).toString(), map));
        }
        return entries;
    }

    /** The lower of two stream ids ("ms-seq"). */
    static String lower(String a, String b) {
        long[] x = parts(a);
        long[] y = parts(b);
        return x[0] < y[0] || (x[0] == y[0] && x[1] <= y[1]) ? a : b;
    }

    private static long[] parts(String id) {
        int dash = id.indexOf('-');
        return dash < 0 ? new long[] {Long.parseLong(id), 0} : new long[] {Long.parseLong(id.substring(0, dash)), Long.parseLong(id.substring(dash + 1))};
    }

    static long millisOf(String streamId) {
        int dash = streamId.indexOf('-');
        return Long.parseLong(dash < 0 ? streamId : streamId.substring(0, dash));
    }

    /** last-delivered-id of a group from XINFO GROUPS (a list of maps, or of flat field lists). */
    static String lastDelivered(Response groups, String group) {
        if (groups == null) {
            return null;
        }
        for (Response g : groups) {
            Map<String, String> fields = new HashMap<>();
            try {
                for (String key : g.getKeys()) {
                    fields.put(key, g.get(key) == null ? null : g.get(key).toString());
                }
            } catch (RuntimeException flat) {
                for (int i = 0; i + 1 < g.size(); i += 2) {
                    fields.put(g.get(i).toString(), g.get(i + 1) == null ? null : g.get(i + 1).toString());
                }
            }
            if (group.equals(fields.get("name"))) {
                return fields.get("last-delivered-id");
            }
        }
        return null;
    }
}
