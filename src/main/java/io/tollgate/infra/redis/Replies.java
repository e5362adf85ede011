package io.tollgate.infra.redis;

import io.vertx.mutiny.redis.client.Response;
import java.util.HashMap;
import java.util.Map;

/** Reading raw Redis replies into Java values, for RESP2 and RESP3 alike. */
public final class Replies {
    private Replies() {
    }

    /** An HGETALL reply as a map; empty when the hash does not exist. */
    public static Map<String, String> hash(Response reply) {
        Map<String, String> fields = new HashMap<>();
        if (reply == null || reply.size() == 0) {
            return fields;
        }
        for (String key : reply.getKeys()) {
            fields.put(key, reply.get(key).toString());
        }
        return fields;
    }

    /** An HMGET reply: the values in the order asked, null where a field is missing. */
    public static String[] values(Response reply) {
        String[] values = new String[reply.size()];
        for (int i = 0; i < values.length; i++) {
            Response value = reply.get(i);
            values[i] = value == null ? null : value.toString();
        }
        return values;
    }
}
