package io.tollgate.debit;

import io.tollgate.infra.Ids;

/**
 * Debit ids carry the key of the debit's record: {@code db_} + the 26-character idempotency key hash + 6 random
 * characters. One Redis record then answers both a retry (found by the Idempotency-Key) and a reversal (found by the
 * debit id), where two records per debit cost a second write and a second key. The random part keeps ids unique when
 * a caller reuses a key after its record expired; reverse.lua compares the whole id.
 */
final class DebitIds {
    static final String PREFIX = "db_";
    static final int RANDOM_CHARS = 6;
    static final int LENGTH = PREFIX.length() + Ids.KEY_CHARS + RANDOM_CHARS;

    private DebitIds() {
    }

    /** A new id for a debit whose idempotency key hashes to {@code keyHash} (IdempotencyKey.require). */
    static String newId(String keyHash) {
        if (keyHash.length() != Ids.KEY_CHARS) {
            throw new IllegalArgumentException("a key hash has " + Ids.KEY_CHARS + " characters");
        }
        return PREFIX + keyHash + Ids.randomChars(RANDOM_CHARS);
    }

    /** The key hash inside a debit id, or null for text that is no debit id Tollgate issues. */
    static String keyHashOf(String debitId) {
        if (debitId == null || debitId.length() != LENGTH || !debitId.startsWith(PREFIX)) {
            return null;
        }
        for (int i = PREFIX.length(); i < LENGTH; i++) {
            char c = debitId.charAt(i);
            if (!((c >= 'a' && c <= 'z') || (c >= '2' && c <= '7'))) {
                return null;
            }
        }
        return debitId.substring(PREFIX.length(), PREFIX.length() + Ids.KEY_CHARS);
    }
}
