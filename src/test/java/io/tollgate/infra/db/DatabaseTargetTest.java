package io.tollgate.infra.db;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

class DatabaseTargetTest {
    @Test
    void readsTheUrlFormsOperatorsUse() {
        DatabaseTarget t = DatabaseTarget.parse("postgresql://ledger:s%40cret@db.internal:6432/tollgate");
        assertEquals(new DatabaseTarget("db.internal", 6432, "tollgate", "ledger", "s@cret"), t);
        assertEquals("jdbc:postgresql://db.internal:6432/tollgate", t.jdbcUrl());
        assertFalse(t.toString().contains("cret"), "the password never reaches a log line");
        assertEquals(5432, DatabaseTarget.parse("postgres://u@h/d").port());
        assertEquals("d", DatabaseTarget.parse("jdbc:postgresql://h:1/d").database());
        assertThrows(IllegalArgumentException.class, () -> DatabaseTarget.parse("mysql://h/d"));
    }
}
