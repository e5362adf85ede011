package io.tollgate.infra.http;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import io.tollgate.infra.Ids;

/**
 * The fingerprint stored with an idempotency record: same key with a different fingerprint is a conflict.
 * Records serialise their components in declaration order and maps are sorted, so equal requests hash equally.
 */
public final class RequestHash {
    /** Absent and null mean the same thing in a request, so neither is written: event data stays free of nulls. */
    private static final ObjectMapper CANONICAL = new ObjectMapper().configure(SerializationFeature.ORDER_MAP_ENTRIES_BY_KEYS, true)
            .setSerializationInclusion(com.fasterxml.jackson.annotation.JsonInclude.Include.NON_NULL);

    private RequestHash() {
    }

    public static String of(String operation, String walletId, Object request) {
        try {
            return Ids.sha256Hex(operation + "\n" + walletId + "\n" + CANONICAL.writeValueAsString(request));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    public static String json(Object value) {
        try {
            return CANONICAL.writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }
}
