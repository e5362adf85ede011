package io.tollgate.outbox;

import io.tollgate.infra.http.JsonText;
import java.time.Instant;
import java.util.Map;

/**
 * One event as the Lua scripts append it to a bucket's outbox stream (see lib.lua {@code append}), and its
 * CloudEvents 1.0 structured-mode JSON for the topic {@code tollgate.wallet-events} (docs/reference/events.md).
 */
public record OutboxEvent(String streamId, String eventId, String type, String walletId, String tenantId, long seq,
        String currency, long amountMicros, long balanceAfterMicros, long occurredAtMillis, String detailJson) {

    public static final String SOURCE_PREFIX = "/tollgate/wallets/";

    /** Reads a stream entry's fields; throws IllegalArgumentException for an entry that is not a Tollgate event. */
    public static OutboxEvent fromStream(String streamId, Map<String, String> f) {
        try {
            return new OutboxEvent(streamId, require(f, "id"), require(f, "type"), require(f, "wallet"), require(f, "tenant"),
                    Long.parseLong(require(f, "seq")), require(f, "cur"), Long.parseLong(require(f, "amt")),
                    Long.parseLong(require(f, "bal")), Long.parseLong(require(f, "ts")), f.getOrDefault("data", "{}"));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("outbox entry " + streamId + " has a malformed number", e);
        }
    }

    public String toCloudEvent() {
        String data = new JsonText().string("eventId", eventId).string("walletId", walletId).string("tenantId", tenantId)
                .number("seq", seq).string("currency", currency).number("amountMicros", amountMicros)
                .number("balanceAfterMicros", balanceAfterMicros).string("occurredAt", Instant.ofEpochMilli(occurredAtMillis).toString())
                .raw("detail", detailJson).end();
        return new JsonText().string("specversion", "1.0").string("id", eventId).string("source", SOURCE_PREFIX + walletId)
                .string("type", type).string("subject", walletId).string("time", Instant.ofEpochMilli(occurredAtMillis).toString())
                .string("datacontenttype", "application/json").string("tollgatetenant", tenantId).number("tollgateseq", seq)
                .raw("data", data).end();
    }

    private static String require(Map<String, String> fields, String name) {
        String value = fields.get(name);
        if (value == null) {
            throw new IllegalArgumentException("outbox entry lacks '" + name + "'");
        }
        return value;
    }
}
