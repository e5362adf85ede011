package io.tollgate.infra;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.HexFormat;

/** Identifiers and hashes. Ids are prefix + 20 base32 characters (100 random bits). */
public final class Ids {
    /**
     * One DRBG per thread: the default NativePRNG serialises every caller on one lock around /dev/urandom, which
     * would make the event loops wait for each other on the hot path.
     */
    private static final ThreadLocal<SecureRandom> RANDOM = ThreadLocal.withInitial(Ids::drbg);
    private static final char[] ALPHABET = "abcdefghijklmnopqrstuvwxyz234567".toCharArray();
    private static final int ID_CHARS = 20;

    private Ids() {
    }

    /**
     * A unique id: 100 random bits. Ids are not secrets (they are shown to callers and travel in events), so the
     * fast per-thread generator is enough; uniqueness needs only that two threads or pods never share a state,
     * which 64-bit seeds from the JDK's seed generator make vanishingly unlikely.
     */
    public static String newId(String prefix) {
        char[] out = new char[ID_CHARS];
        fillRandom(out, 0, 12);
        fillRandom(out, 12, ID_CHARS - 12);
        return prefix + new String(out);
    }

    /** {@code n} random base32 characters (5 bits each), 1..12. */
    public static String randomChars(int n) {
        if (n < 1 || n > 12) {
            throw new IllegalArgumentException("1..12 random characters, not " + n);
        }
        char[] out = new char[n];
        fillRandom(out, 0, n);
        return new String(out);
    }

    /** out[from .. from+count) = base32 characters from one random long: at most 12 (60 of its 64 bits). */
    private static void fillRandom(char[] out, int from, int count) {
        long bits = java.util.concurrent.ThreadLocalRandom.current().nextLong();
        for (int i = 0; i < count; i++) {
            out[from + i] = ALPHABET[(int) ((bits >>> (i * 5)) & 31)];
        }
    }

    /** Characters of {@link #sha256Key}: 26 base32 characters carry the digest's first 130 bits. */
    public static final int KEY_CHARS = 26;

    /**
     * The first 130 bits of sha256(text) as {@value #KEY_CHARS} base32 characters: names idempotency records. Short
     * enough to sit inside a debit id (DebitIds), long enough that two keys never meet (2^-65 for 2^32 live records).
     */
    public static String sha256Key(String text) {
        MessageDigest digest = SHA256.get();
        digest.reset();
        byte[] d = digest.digest(text.getBytes(StandardCharsets.UTF_8));
        char[] out = new char[KEY_CHARS];
        for (int i = 0; i < KEY_CHARS; i++) {
            int bit = i * 5;
            int at = bit >>> 3;
            int twoBytes = ((d[at] & 0xff) << 8) | (d[at + 1] & 0xff); // at + 1 <= 16 < 32 bytes of digest
            out[i] = ALPHABET[(twoBytes >>> (11 - (bit & 7))) & 31];
        }
        return new String(out);
    }

    /** 256 random bits from a DRBG, URL-safe: for API key secrets, which must be unguessable. */
    public static String newSecret(String prefix) {
        byte[] bytes = new byte[32];
        RANDOM.get().nextBytes(bytes);
        return prefix + Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }

    private static SecureRandom drbg() {
        try {
            return SecureRandom.getInstance("DRBG");
        } catch (NoSuchAlgorithmException e) {
            return new SecureRandom();
        }
    }

    /** One digest per thread: looking a provider up for every hash costs more than the hash. */
    private static final ThreadLocal<MessageDigest> SHA256 = ThreadLocal.withInitial(() -> {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    });

    public static String sha256Hex(String text) {
        MessageDigest digest = SHA256.get();
        digest.reset();
        return HexFormat.of().formatHex(digest.digest(text.getBytes(StandardCharsets.UTF_8)));
    }

    /** Hex HMAC-SHA256 of the message (UTF-8) with the secret: webhook signatures, ours and the payment provider's. */
    public static String hmacSha256Hex(String secret, String message) {
        try {
            javax.crypto.Mac mac = javax.crypto.Mac.getInstance("HmacSHA256");
            mac.init(new javax.crypto.spec.SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
            return HexFormat.of().formatHex(mac.doFinal(message.getBytes(StandardCharsets.UTF_8)));
        } catch (java.security.GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 is unavailable", e);
        }
    }

    /** Ids Tollgate hands out, and the only ones a path may name: 1..64 of [A-Za-z0-9_-]. */
    public static boolean isWellFormed(String id) {
        if (id == null || id.isEmpty() || id.length() > 64) {
            return false;
        }
        for (int i = 0; i < id.length(); i++) {
            char c = id.charAt(i);
            if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_' || c == '-')) {
                return false;
            }
        }
        return true;
    }
}
