package io.tollgate.infra;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tollgate.infra.http.IdempotencyKey;
import io.tollgate.infra.http.ProblemException;
import io.tollgate.infra.redis.Keys;
import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.Test;

class KeysAndIdsTest {
    @Test
    void everyKeyOfAWalletSharesItsBucketHashTag() {
        Keys keys = new Keys(64);
        String wallet = "w_abc";
        String tag = "{b" + keys.bucket(wallet) + "}";
        for (String key : new String[] {keys.wallet(wallet), keys.outboxOf(wallet), keys.idempotency(wallet, "h")}) {
            assertTrue(key.contains(tag), key);
        }
        assertEquals(keys.bucket(wallet), new Keys(64).bucket(wallet), "stable across instances and pods");
    }

    @Test
    void bucketsSpreadWallets() {
        Keys keys = new Keys(64);
        Set<Integer> used = new HashSet<>();
        for (int i = 0; i < 2000; i++) {
            used.add(keys.bucket(Ids.newId("w_")));
        }
        assertEquals(64, used.size());
        assertThrows(IllegalArgumentException.class, () -> new Keys(0));
    }

    @Test
    void idempotencyKeysArePrintableAsciiUpTo255() {
        assertTrue(IdempotencyKey.isValid("a"));
        assertTrue(IdempotencyKey.isValid("x".repeat(255)));
        assertFalse(IdempotencyKey.isValid(""));
        assertFalse(IdempotencyKey.isValid(null));
        assertFalse(IdempotencyKey.isValid("x".repeat(256)));
        assertFalse(IdempotencyKey.isValid("a\tb"));
        assertFalse(IdempotencyKey.isValid("a\u007fb"));
        assertFalse(IdempotencyKey.isValid("caf\u00e9"));
        assertThrows(ProblemException.class, () -> IdempotencyKey.require("t", ""));
    }

    @Test
    void idempotencyRecordsAreScopedPerTenantAndHideTheKey() {
        String a = IdempotencyKey.require("t_a", "order-1");
        String b = IdempotencyKey.require("t_b", "order-1");
        assertNotEquals(a, b);
        assertTrue(a.matches("[a-z2-7]{26}"), "no caller text reaches a Redis key: " + a);
        assertEquals(a, IdempotencyKey.require("t_a", "order-1"), "stable");
    }

    @Test
    void idsAreUniqueAndWellFormed() {
        Set<String> ids = new HashSet<>();
        for (int i = 0; i < 10_000; i++) {
            String id = Ids.newId("db_");
            assertTrue(Ids.isWellFormed(id));
            ids.add(id);
        }
        assertEquals(10_000, ids.size());
        assertFalse(Ids.isWellFormed("w_{b1}"));
        assertFalse(Ids.isWellFormed("x".repeat(65)));
    }
}
