package io.tollgate.ledger;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.tollgate.outbox.OutboxEvent;
import java.net.ConnectException;
import java.util.Map;
import org.junit.jupiter.api.Test;

class LedgerWriterTest {
    static final ObjectMapper JSON = new ObjectMapper();

    @Test
    void onlyAConflictingSequenceIsPermanentAnOutageIsRetried() {
        assertTrue(LedgerWriter.isPermanent(new RuntimeException(new IllegalStateException(
                "duplicate key value violates unique constraint \"ledger_entry_wallet_seq\""))));
        assertFalse(LedgerWriter.isPermanent(new RuntimeException(new ConnectException("Connection refused"))));
        assertFalse(LedgerWriter.isPermanent(new io.smallrye.mutiny.TimeoutException()));
    }

    @Test
    void readsWhatTheRelayWritesAndRejectsAnythingElse() {
        OutboxEvent event = OutboxEvent.fromStream("1-0", Map.of("id", "evt_w_1_7", "type", "debit.approved", "wallet", "w_1",
                "tenant", "t_1", "seq", "7", "cur", "EUR", "amt", "1500", "bal", "-9007199254740991", "ts", "1795367122965",
                "data", "{\"item\":\"sms\",\"channel\":\"+4915550\"}"));
        LedgerWriter.LedgerEvent parsed = LedgerWriter.LedgerEvent.parse(JSON, event.toCloudEvent());
        assertEquals("evt_w_1_7", parsed.eventId());
        assertEquals(7, parsed.seq());
        assertEquals(-9007199254740991L, parsed.balanceAfterMicros(), "exact at the limit");
        assertEquals("sms", parsed.item());
        assertEquals("+4915550", parsed.channel());
        for (String bad : new String[] {"not json", "{}", "{\"id\":1}", event.toCloudEvent().replace("\"seq\":7", "\"seq\":\"7\""),
                event.toCloudEvent().replace("\"currency\":\"EUR\"", "\"currency\":\"EURO\"")}) {
            assertThrows(IllegalArgumentException.class, () -> LedgerWriter.LedgerEvent.parse(JSON, bad));
        }
    }
}
