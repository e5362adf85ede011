package io.tollgate.debit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tollgate.infra.Ids;
import io.tollgate.infra.http.IdempotencyKey;
import java.security.MessageDigest;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** A debit id names its record: the idempotency key hash inside it, unique even when a key is used again. */
class DebitIdsTest {
    @Test
    void theIdCarriesTheKeyHashAndAFreshRandomPart() {
        String keyHash = IdempotencyKey.require("t_1", "msg-1001");
        String first = DebitIds.newId(keyHash);
        String second = DebitIds.newId(keyHash);
        assertEquals(DebitIds.LENGTH, first.length());
        assertTrue(first.matches("db_[a-z2-7]{32}"), first);
        assertTrue(Ids.isWellFormed(first), "a path may name it");
        assertEquals(keyHash, DebitIds.keyHashOf(first));
        assertEquals(keyHash, DebitIds.keyHashOf(second));
        assertNotEquals(first, second, "a key reused after its record expired gets another id");
    }

    @Test
    void textThatIsNoDebitIdNamesNoRecord() {
        String id = DebitIds.newId(IdempotencyKey.require("t_1", "k"));
        assertNull(DebitIds.keyHashOf(null));
        assertNull(DebitIds.keyHashOf(id.substring(1)), "too short");
        assertNull(DebitIds.keyHashOf(id + "a"), "too long");
        assertNull(DebitIds.keyHashOf("cr" + id.substring(2)), "another prefix");
        assertNull(DebitIds.keyHashOf(id.substring(0, 10) + "1" + id.substring(11)), "a character outside base32");
        assertNull(DebitIds.keyHashOf(id.substring(0, 10) + "A" + id.substring(11)), "upper case");
        assertThrows(IllegalArgumentException.class, () -> DebitIds.newId("short"));
    }

    @Test
    void theKeyHashIsTheFirst130BitsOfSha256InBase32() throws Exception {
        byte[] d = MessageDigest.getInstance("SHA-256").digest("t_1\nk".getBytes(StandardCharsets.UTF_8));
        StringBuilder bits = new StringBuilder();
        for (byte b : d) {
            bits.append(String.format("%8s", Integer.toBinaryString(b & 0xff)).replace(' ', '0'));
        }
        StringBuilder expected = new StringBuilder();
        for (int i = 0; i < 26; i++) {
            expected.append("abcdefghijklmnopqrstuvwxyz234567".charAt(Integer.parseInt(bits.substring(i * 5, i * 5 + 5), 2)));
        }
        assertEquals(expected.toString(), Ids.sha256Key("t_1\nk"));
    }
}
