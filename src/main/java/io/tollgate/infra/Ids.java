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

    public static String newId(String prefix) {
        byte[] bytes = new byte[ID_CHARS];
        RANDOM.get().nextBytes(bytes);
        char[] out = new char[ID_CHARS];
        for (int i = 0; i < ID_CHARS; i++) {
            out[i] = ALPHABET[bytes[i] & 31];
        }
        return prefix + new String(out);
    }

    /** 256 random bits, URL-safe: for API key secrets. */
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

    public static String sha256Hex(String text) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Ids Tollgate hands out, and the only ones a path may name. */
    public static boolean isWellFormed(String id) {
        return id != null && id.length() <= 64 && id.matches("[A-Za-z0-9_-]+");
    }
}
