package io.tollgate.ledger;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.LocalDate;

/**
 * The look-up keys of a ledger row ({@code ledger_entry.lookup_keys}, one GIN index): 64-bit hashes that find a debit by
 * its id, and debits by a {@code reference} entry or a {@code user}, without an index per kind. A key is the first 8 bytes
 * of SHA-256 over its text, read as a signed big-endian long; the same function exists in SQL as
 * {@code ledger_lookup_hash(text)} (V6__activity.sql), which the migration used for the rows written before it.
 *
 * <p>The texts, a kind letter, the tenant and the value, separated by {@code |} with the free-text value last (so it
 * may contain {@code |}):
 * <ul>
 * <li>{@code d|<tenant>|<debitId>}: on the debit ({@code debit.approved}) and on each of its reversals
 * ({@code debit.reversed}), so one probe finds both;</li>
 * <li>{@code r|<tenant>|<UTC day>|<key>|<value>}: per {@code reference} entry of a debit;</li>
 * <li>{@code u|<tenant>|<UTC day>|<user>}: the debit's {@code user}.</li>
 * </ul>
 * References and users carry the UTC day of the movement, so a page of the activity log filtered by them probes a
 * window of days (and widens it while it finds too little) instead of every movement that ever carried the value;
 * a look-up by reference probes every day of its range in one query. Hashes may collide: every query also compares the
 * real values, so a collision costs a row read, never a wrong answer.
 */
public final class LookupKeys {
    private LookupKeys() {
    }

    public static long debit(String tenantId, String debitId) {
        return hash("d|" + tenantId + "|" + debitId);
    }

    public static long reference(String tenantId, LocalDate utcDay, String key, String value) {
        return hash("r|" + tenantId + "|" + utcDay + "|" + key + "|" + value);
    }

    public static long user(String tenantId, LocalDate utcDay, String user) {
        return hash("u|" + tenantId + "|" + utcDay + "|" + user);
    }

    /** The first 8 bytes of SHA-256(UTF-8 text), big-endian: SQL {@code ledger_lookup_hash(text)}. */
    public static long hash(String text) {
        byte[] digest = SHA256.get().digest(text.getBytes(StandardCharsets.UTF_8));
        long value = 0;
        for (int i = 0; i < 8; i++) {
            value = (value << 8) | (digest[i] & 0xff);
        }
        return value;
    }

    private static final ThreadLocal<MessageDigest> SHA256 = ThreadLocal.withInitial(() -> {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    });
}
