package io.tollgate.outbox;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Reading outbox entries: one event per entry, or a debit call's events for one wallet packed in one entry. */
class OutboxEventTest {
    private static Map<String, String> packed(String n, String lines) {
        Map<String, String> f = new HashMap<>();
        f.put("wallet", "w_1");
        f.put("tenant", "t_1");
        f.put("cur", "EUR");
        f.put("ts", "1700000000000");
        f.put("n", n);
        f.put("ev", lines);
        return f;
    }

    @Test
    void aPackedEntryUnpacksInOrderWithTheIdsAOneEventEntryWouldCarry() {
        List<OutboxEvent> events = OutboxEvent.fromEntry("5-0", packed("3", String.join("\n",
                "7|debit.approved|1000000|4000000|{\"debitId\":\"db_a\",\"reference\":{\"a|b\":\"c|d\"}}",
                "8|balance.low|0|4000000|{\"thresholdMicros\":5000000}",
                "9|debit.approved|4000000|0|{}")));

        assertEquals(3, events.size());
        OutboxEvent first = events.get(0);
        assertEquals("evt_w_1_7_1700000000000", first.eventId());
        assertEquals("debit.approved", first.type());
        assertEquals(7, first.seq());
        assertEquals(1_000_000, first.amountMicros());
        assertEquals(4_000_000, first.balanceAfterMicros());
        assertEquals("{\"debitId\":\"db_a\",\"reference\":{\"a|b\":\"c|d\"}}", first.detailJson(), "data keeps its '|'");
        assertEquals("EUR", first.currency());
        assertEquals("t_1", first.tenantId());
        assertEquals("5-0", first.streamId());
        assertEquals(List.of(7L, 8L, 9L), events.stream().map(OutboxEvent::seq).toList());
        assertEquals("balance.low", events.get(1).type());
        assertEquals(0, events.get(2).balanceAfterMicros());
    }

    @Test
    void theCloudEventCarriesItsTimeWithExactlyThreeFractionDigits() {
        // 1700000000000 ms is a whole second: Instant.toString() would print no fraction at all
        String json = OutboxEvent.fromEntry("5-0", packed("1", "7|debit.approved|1|4|{}")).get(0).toCloudEvent();
        io.vertx.core.json.JsonObject event = new io.vertx.core.json.JsonObject(json);
        assertEquals("2023-11-14T22:13:20.000Z", event.getString("time"));
        assertEquals("2023-11-14T22:13:20.000Z", event.getJsonObject("data").getString("occurredAt"));
    }

    @Test
    void aOneEventEntryStillReads() {
        Map<String, String> f = new HashMap<>(Map.of("id", "evt_w_1_1_5", "type", "wallet.created", "wallet", "w_1", "tenant", "t_1",
                "seq", "1", "cur", "USD", "amt", "0", "bal", "0", "ts", "5"));
        List<OutboxEvent> events = OutboxEvent.fromEntry("1-0", f);
        assertEquals(1, events.size());
        assertEquals("evt_w_1_1_5", events.get(0).eventId());
        assertEquals("{}", events.get(0).detailJson());
    }

    @Test
    void aPackedEntryThatDisagreesWithItsCountOrIsMalformedIsRefused() {
        String two = "1|debit.approved|1|9|{}\n2|debit.approved|1|8|{}";
        assertThrows(IllegalArgumentException.class, () -> OutboxEvent.fromEntry("1-0", packed("3", two)), "fewer lines than n");
        assertThrows(IllegalArgumentException.class, () -> OutboxEvent.fromEntry("1-0", packed("1", two)), "more lines than n");
        assertThrows(IllegalArgumentException.class, () -> OutboxEvent.fromEntry("1-0", packed("0", "")), "n below 1");
        assertThrows(IllegalArgumentException.class, () -> OutboxEvent.fromEntry("1-0", packed("1003", two)), "n above the limit");
        assertThrows(IllegalArgumentException.class, () -> OutboxEvent.fromEntry("1-0", packed("x", two)), "n not a number");
        assertThrows(IllegalArgumentException.class, () -> OutboxEvent.fromEntry("1-0", packed("1", "1|debit.approved|1")), "short line");
        assertThrows(IllegalArgumentException.class, () -> OutboxEvent.fromEntry("1-0", packed("1", "x|debit.approved|1|2|{}")), "bad seq");
        Map<String, String> noWallet = packed("1", "1|debit.approved|1|9|{}");
        noWallet.remove("wallet");
        assertThrows(IllegalArgumentException.class, () -> OutboxEvent.fromEntry("1-0", noWallet), "no wallet");
    }
}
