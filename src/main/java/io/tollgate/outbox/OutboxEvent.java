package io.tollgate.outbox;

import io.tollgate.infra.Times;
import io.tollgate.infra.http.JsonText;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * One event as the Lua scripts append it to a bucket's outbox stream (see lib.lua {@code append}), and its
 * CloudEvents 1.0 structured-mode JSON for the topic {@code tollgate.wallet-events} (docs/reference/events.md).
 */
public record OutboxEvent(String streamId, String eventId, String type, String walletId, String tenantId, long seq,
        String currency, long amountMicros, long balanceAfterMicros, long occurredAtMillis, String detailJson) {

    public static final String SOURCE_PREFIX = "/tollgate/wallets/";

    /** Events one packed entry may hold: a batch call's debits on one wallet (1,000) and its two balance flags. */
    public static final int PACKED_EVENTS_MAX = 1002;

    /**
     * The events of one stream entry: one for an entry as {@code append} writes it, or all of a packed entry (lib.lua
     * {@code append_packed}: one entry per wallet per debit call). Throws IllegalArgumentException for an entry that
     * is not a Tollgate entry.
     */
    public static List<OutboxEvent> fromEntry(String streamId, Map<String, String> f) {
        String packed = f.get("ev");
        if (packed == null) {
            return List.of(fromStream(streamId, f));
        }
        String walletId = require(f, "wallet");
        String tenantId = require(f, "tenant");
        String currency = require(f, "cur");
        String ts = require(f, "ts");
        int count = parseCount(require(f, "n"), streamId);
        List<OutboxEvent> events = new ArrayList<>(count);
        int start = 0;
        while (start <= packed.length()) {
            int end = packed.indexOf('\n', start);
            String line = packed.substring(start, end < 0 ? packed.length() : end);
            if (events.size() == count) {
                throw new IllegalArgumentException("outbox entry " + streamId + " holds more events than its n=" + count);
            }
            events.add(fromLine(streamId, line, walletId, tenantId, currency, ts));
            if (end < 0) {
                break;
            }
            start = end + 1;
        }
        if (events.size() != count) {
            throw new IllegalArgumentException("outbox entry " + streamId + " holds " + events.size() + " events, not n=" + count);
        }
        return events;
    }

    /** One line of a packed entry: "seq|type|amt|bal|data", data last because it may hold '|'. */
    private static OutboxEvent fromLine(String streamId, String line, String walletId, String tenantId, String currency, String ts) {
        String[] p = line.split("\\|", 5);
        if (p.length != 5) {
            throw new IllegalArgumentException("outbox entry " + streamId + " has a malformed event line");
        }
        try {
            return new OutboxEvent(streamId, "evt_" + walletId + "_" + p[0] + "_" + ts, p[1], walletId, tenantId, Long.parseLong(p[0]),
                    currency, Long.parseLong(p[2]), Long.parseLong(p[3]), Long.parseLong(ts), p[4]);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("outbox entry " + streamId + " has a malformed number", e);
        }
    }

    private static int parseCount(String n, String streamId) {
        try {
            int count = Integer.parseInt(n);
            if (count >= 1 && count <= PACKED_EVENTS_MAX) {
                return count;
            }
        } catch (NumberFormatException e) {
            // answered below
        }
        throw new IllegalArgumentException("outbox entry " + streamId + " has n=" + n + ", not 1.." + PACKED_EVENTS_MAX);
    }

    /** Reads a stream entry that holds one event; throws IllegalArgumentException for an entry that is not a Tollgate event. */
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
                .number("balanceAfterMicros", balanceAfterMicros).string("occurredAt", Times.formatMillis(occurredAtMillis))
                .raw("detail", detailJson).end();
        return new JsonText().string("specversion", "1.0").string("id", eventId).string("source", SOURCE_PREFIX + walletId)
                .string("type", type).string("subject", walletId).string("time", Times.formatMillis(occurredAtMillis))
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
