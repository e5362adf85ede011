package io.tollgate.alert;

import io.tollgate.infra.Ids;


/**
 * The {@code Tollgate-Signature} header: {@code t=<unix seconds>,v1=<hex HMAC-SHA256(secret, t + "." + body)>}.
 * Signing the timestamp with the body lets receivers refuse replays older than a few minutes.
 */
public final class WebhookSignature {
    public static final String HEADER = "Tollgate-Signature";

    private WebhookSignature() {
    }

    public static String header(String secret, long unixSeconds, String body) {
        return "t=" + unixSeconds + ",v1=" + Ids.hmacSha256Hex(secret, unixSeconds + "." + body);
    }
}
