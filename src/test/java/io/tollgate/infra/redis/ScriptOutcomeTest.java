package io.tollgate.infra.redis;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** debit.lua's answers: the short form of a fresh approval takes its id, amount and price basis from the caller. */
class ScriptOutcomeTest {
    @Test
    void aFreshApprovalInShortFormCarriesTheCallersIdAmountAndBasis() {
        ScriptOutcome o = ScriptOutcome.parseDebit("A|-250|17|USD", "db_x", 1_250, "c");
        assertEquals("approved", o.outcome());
        assertEquals("db_x", o.id());
        assertEquals(1_250, o.amount());
        assertEquals(-250, o.balanceAfter());
        assertEquals(17L, o.seqOrNull());
        assertEquals("USD", o.currency());
        assertEquals("c", o.priceBasis());
        assertFalse(o.replayed());
        assertFalse(o.isError());
    }

    @Test
    void everyOtherAnswerIsReadInFull() {
        ScriptOutcome replay = ScriptOutcome.parseDebit("approved||db_first|900|100|4|1|EUR||i", "db_new", 5, "c");
        assertEquals("db_first", replay.id(), "a replay answers with the stored debit, not the one just prepared");
        assertEquals(900, replay.amount());
        assertEquals("EUR", replay.currency());
        assertEquals("i", replay.priceBasis(), "a replay answers the stored basis");
        assertTrue(replay.replayed());
        ScriptOutcome declined = ScriptOutcome.parseDebit("declined|automation_floor||5|3||0|USD|5000000|", "db_new", 5, "");
        assertEquals("automation_floor", declined.reason());
        assertEquals(5_000_000L, declined.floorOrNull());
        assertNull(ScriptOutcome.parseDebit("declined|wallet_suspended||5|3||0|USD||", "db_new", 5, "").floorOrNull());
        assertTrue(ScriptOutcome.parseDebit("error|idempotency_conflict|||||0|||", "db_new", 5, "").isError());
    }

    @Test
    void aMalformedAnswerIsRefused() {
        assertThrows(IllegalStateException.class, () -> ScriptOutcome.parseDebit("A|5|6", "db_x", 1, ""));
        assertThrows(IllegalStateException.class, () -> ScriptOutcome.parseDebit("A|5|6|USD|7", "db_x", 1, ""));
        assertThrows(IllegalStateException.class, () -> ScriptOutcome.parseDebit("approved|x", "db_x", 1, ""));
        assertThrows(IllegalStateException.class, () -> ScriptOutcome.parseDebit("approved||db_first|900|100|4|1", "db_x", 1, ""));
    }
}
