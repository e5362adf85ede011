package io.tollgate.report;

import io.tollgate.infra.http.ProblemException;
import io.tollgate.infra.http.ProblemType;
import jakarta.enterprise.context.ApplicationScoped;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.Base64;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.jboss.logging.Logger;

/**
 * The opaque {@code cursor} of the activity log: where the next page starts, bound to the query that made it. It is
 * {@code base64url(payload ‖ HMAC-SHA256(key, payload)[0..16))}; the payload holds a version, the first 16 bytes of the
 * query's hash ({@link ActivityQuery#hash}: tenant, wallet and every filter), the position (time, wallet, seq) and the
 * lower bound the first page resolved. A cursor that does not verify (forged, changed, cut, from a server with another
 * key) or that was made for another query is {@code invalid-request}; nothing is read for it.
 */
@ApplicationScoped
@io.quarkus.runtime.Startup
public class ActivityCursors {
    private static final Logger LOG = Logger.getLogger(ActivityCursors.class);
    static final int MIN_KEY_CHARS = 32;
    private static final byte VERSION = 1;
    private static final int HASH_BYTES = 16;
    private static final int MAC_BYTES = 16;
    private static final int MAX_WALLET_BYTES = 64;

    /** Where a page ends: the last row it showed (or read), and the lower bound of the whole paging. */
    public record Position(long occurredAtMicros, String walletId, long seq, long bound) {
    }

    private final byte[] key;

    public ActivityCursors(ActivityConfig config) {
        this.key = keyOf(config.cursorKey().orElse(null));
    }

    static byte[] keyOf(String configured) {
        if (configured == null || configured.isBlank()) {
            LOG.warn("tollgate.activity.cursor-key is not set: activity cursors are signed with a random key of this process, "
                    + "so a cursor works only on the pod that made it and not after a restart. Set the same key on every pod.");
            byte[] random = new byte[32];
            new SecureRandom().nextBytes(random);
            return random;
        }
        if (configured.length() < MIN_KEY_CHARS) {
            throw new IllegalArgumentException("tollgate.activity.cursor-key must be at least " + MIN_KEY_CHARS + " characters");
        }
        return configured.getBytes(StandardCharsets.UTF_8);
    }

    public String encode(byte[] queryHash, Position at) {
        byte[] wallet = at.walletId().getBytes(StandardCharsets.UTF_8);
        ByteBuffer payload = ByteBuffer.allocate(1 + HASH_BYTES + 8 + 8 + 8 + 1 + wallet.length);
        payload.put(VERSION).put(queryHash, 0, HASH_BYTES).putLong(at.occurredAtMicros()).putLong(at.seq()).putLong(at.bound())
                .put((byte) wallet.length).put(wallet);
        byte[] body = payload.array();
        byte[] token = Arrays.copyOf(body, body.length + MAC_BYTES);
        System.arraycopy(mac(body), 0, token, body.length, MAC_BYTES);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(token);
    }

    /** The position of a cursor made for this query. Error: {@code invalid-request} for anything else. */
    public Position decode(byte[] queryHash, String cursor) {
        byte[] token;
        try {
            token = Base64.getUrlDecoder().decode(cursor);
        } catch (IllegalArgumentException e) {
            throw invalid();
        }
        int fixed = 1 + HASH_BYTES + 8 + 8 + 8 + 1;
        if (cursor.length() > 200 || token.length < fixed + 1 + MAC_BYTES) {
            throw invalid();
        }
        byte[] body = Arrays.copyOf(token, token.length - MAC_BYTES);
        byte[] expected = Arrays.copyOf(mac(body), MAC_BYTES);
        if (!MessageDigest.isEqual(expected, Arrays.copyOfRange(token, body.length, token.length))) {
            throw invalid();
        }
        ByteBuffer payload = ByteBuffer.wrap(body);
        byte version = payload.get();
        byte[] hash = new byte[HASH_BYTES];
        payload.get(hash);
        long occurredAtMicros = payload.getLong();
        long seq = payload.getLong();
        long bound = payload.getLong();
        int walletBytes = payload.get() & 0xff;
        if (version != VERSION || walletBytes != payload.remaining() || walletBytes > MAX_WALLET_BYTES) {
            throw invalid();
        }
        if (!MessageDigest.isEqual(hash, Arrays.copyOf(queryHash, HASH_BYTES))) {
            throw new ProblemException(ProblemType.INVALID_REQUEST, "cursor was made for another query: send it with the same "
                    + "filters (and wallet) as the page that returned it");
        }
        byte[] wallet = new byte[walletBytes];
        payload.get(wallet);
        return new Position(occurredAtMicros, new String(wallet, StandardCharsets.UTF_8), seq, bound);
    }

    private byte[] mac(byte[] body) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(key, "HmacSHA256"));
            return mac.doFinal(body);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 is unavailable", e);
        }
    }

    private static ProblemException invalid() {
        return new ProblemException(ProblemType.INVALID_REQUEST, "cursor is not valid: pass the nextCursor of an earlier page unchanged");
    }
}
