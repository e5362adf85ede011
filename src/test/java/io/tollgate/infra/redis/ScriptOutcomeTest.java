package io.tollgate.infra.redis;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** debit.lua's answers: the short form of a fresh approval takes its id and amount from the caller. */
class ScriptOutcomeTest {
    @Test
    void aFreshApprovalInShortFormCarriesTheCallersIdAndAmount() {
        ScriptOutcome o = ScriptOutcome.parseDebit("A|-250|17", "db_x", 1_250);
        assertEquals("approved", o.outcome());
        assertEquals("db_x", o.id());
        assertEquals(1_250, o.amount());
        assertEquals(-250, o.balanceAfter());
        assertEquals(17L, o.seqOrNull());
        assertFalse(o.replayed());
        assertFalse(o.isError());
    }

    @Test
    void everyOtherAnswerIsReadInFull() {
        ScriptOutcome replay = ScriptOutcome.parseDebit("approved||db_first|900|100|4|1", "db_new", 5);
        assertEquals("db_first", replay.id(), "a replay answers with the stored debit, not the one just prepared");
        assertEquals(900, replay.amount());
        assertTrue(replay.replayed());
        ScriptOutcome declined = ScriptOutcome.parseDebit("declined|insufficient_funds||5|3||0", "db_new", 5);
        assertEquals("insufficient_funds", declined.reason());
        assertTrue(ScriptOutcome.parseDebit("error|idempotency_conflict|||||0", "db_new", 5).isError());
    }

    @Test
    void aMalformedAnswerIsRefused() {
        assertThrows(IllegalStateException.class, () -> ScriptOutcome.parseDebit("A|5", "db_x", 1));
        assertThrows(IllegalStateException.class, () -> ScriptOutcome.parseDebit("A|5|6|7", "db_x", 1));
        assertThrows(IllegalStateException.class, () -> ScriptOutcome.parseDebit("approved|x", "db_x", 1));
    }
}
