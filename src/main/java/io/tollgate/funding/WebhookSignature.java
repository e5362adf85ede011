package io.tollgate.funding;

import io.tollgate.infra.Ids;
import io.tollgate.infra.http.ProblemException;
import io.tollgate.infra.http.ProblemType;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Duration;

/**
 * Stripe's webhook signature: header {@code t=<unix seconds>,v1=<hex HMAC-SHA256(secret, t + "." + body)>}, possibly
 * with several v1 values (secret rotation). Compared in constant time; a timestamp outside the tolerance is refused.
 */
public final class WebhookSignature {
    static final int HEADER_MAX_CHARS = 2048;

    private WebhookSignature() {
    }

    public static void verify(String secret, String header, String body, Duration tolerance) {
        if (header == null || header.length() > HEADER_MAX_CHARS) {
            throw invalid("the Stripe-Signature header is missing");
        }
        long timestamp = -1;
        java.util.List<String> signatures = new java.util.ArrayList<>();
        for (String part : header.split(",")) {
            String[] kv = part.trim().split("=", 2);
            if (kv.length == 2 && kv[0].equals("t") && kv[1].matches("\\d{1,12}")) {
                timestamp = Long.parseLong(kv[1]);
            } else if (kv.length == 2 && kv[0].equals("v1")) {
                signatures.add(kv[1]);
            }
        }
        if (timestamp < 0 || signatures.isEmpty()) {
            throw invalid("the Stripe-Signature header needs t= and v1=");
        }
        if (Math.abs(System.currentTimeMillis() / 1000 - timestamp) > tolerance.toSeconds()) {
            throw invalid("the signed timestamp is outside the tolerance of " + tolerance.toSeconds() + " s");
        }
        byte[] expected = sign(secret, timestamp, body).getBytes(StandardCharsets.US_ASCII);
        for (String candidate : signatures) {
            if (MessageDigest.isEqual(expected, candidate.getBytes(StandardCharsets.US_ASCII))) {
                return;
            }
        }
        throw invalid("no signature matches");
    }

    public static String sign(String secret, long timestampSeconds, String body) {
        return Ids.hmacSha256Hex(secret, timestampSeconds + "." + body);
    }

    private static ProblemException invalid(String detail) {
        return new ProblemException(ProblemType.INVALID_SIGNATURE, detail);
    }
}
