package io.tollgate.alert;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.tollgate.infra.http.ProblemException;
import io.tollgate.infra.http.ProblemType;
import io.tollgate.pricing.Pricing;
import java.net.URI;
import java.net.URISyntaxException;
import java.time.Instant;
import java.util.HashSet;
import java.util.List;
import java.util.regex.Pattern;

/** Request and answer bodies of the alert settings API, and their checks, all done before anything is written. */
public final class AlertRequests {
    static final int EMAILS_MAX = 10;
    static final int EMAIL_MAX_CHARS = 254;
    static final int LEVELS_MAX = 5;
    static final int URL_MAX_CHARS = 2000;
    /** A pragmatic address check: one @, no spaces or control characters, a dotted domain. Delivery proves the rest. */
    static final Pattern EMAIL = Pattern.compile("[A-Za-z0-9.!#$%&'*+/=?^_`{|}~-]{1,64}@[A-Za-z0-9-]+(\\.[A-Za-z0-9-]+)+");

    private AlertRequests() {
    }

    /** The tenant's email recipients; PUT replaces the whole list, an empty list sends no email. */
    public record TenantSettings(List<String> emails) {
        void validate() {
            if (emails == null) {
                throw invalid("emails is required (an empty list sends no email)");
            }
            if (emails.size() > EMAILS_MAX) {
                throw invalid("at most " + EMAILS_MAX + " emails");
            }
            for (String email : emails) {
                if (email == null || email.length() > EMAIL_MAX_CHARS || !EMAIL.matcher(email).matches()) {
                    throw invalid("not an email address: " + clip(email));
                }
            }
            if (new HashSet<>(emails).size() != emails.size()) {
                throw invalid("emails must be distinct");
            }
        }
    }

    /** A wallet's low-balance levels; PUT replaces them all, an empty list turns low-balance alerts off. */
    public record WalletSettings(List<Long> lowBalanceLevelsMicros) {
        void validate() {
            if (lowBalanceLevelsMicros == null) {
                throw invalid("lowBalanceLevelsMicros is required (an empty list turns low-balance alerts off)");
            }
            if (lowBalanceLevelsMicros.size() > LEVELS_MAX) {
                throw invalid("at most " + LEVELS_MAX + " lowBalanceLevelsMicros");
            }
            for (Long level : lowBalanceLevelsMicros) {
                if (level == null || level > Pricing.MAX_MICROS || level < -Pricing.MAX_MICROS) {
                    throw invalid("each level must be a whole number of micros within ±" + Pricing.MAX_MICROS);
                }
            }
            if (new HashSet<>(lowBalanceLevelsMicros).size() != lowBalanceLevelsMicros.size()) {
                throw invalid("lowBalanceLevelsMicros must be distinct");
            }
        }
    }

    public record NewEndpoint(String url) {
        void validate() {
            if (url == null || url.length() > URL_MAX_CHARS) {
                throw invalid("url is required, at most " + URL_MAX_CHARS + " characters");
            }
            try {
                URI uri = new URI(url);
                String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(java.util.Locale.ROOT);
                if (!(scheme.equals("http") || scheme.equals("https")) || uri.getHost() == null || uri.getRawUserInfo() != null
                        || uri.getRawFragment() != null) {
                    throw invalid("url must be an absolute http or https URL with a host, without user info or fragment");
                }
            } catch (URISyntaxException e) {
                throw invalid("url is not a valid URL");
            }
        }
    }

    /** A webhook endpoint; {@code secret} is present only in the answer to its creation. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Endpoint(String id, String url, Instant createdAt, String secret) {
    }

    /** One line of the delivery log. {@code target} is the email address or the webhook endpoint id. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Delivery(String id, String alertType, String dedupeKey, String walletId, String channel, String target,
            String state, int attempts, Integer lastStatus, String lastError, Instant createdAt, Instant nextAttemptAt,
            Instant deliveredAt) {
    }

    static ProblemException invalid(String detail) {
        return new ProblemException(ProblemType.INVALID_REQUEST, detail);
    }

    private static String clip(String text) {
        return text == null ? "null" : text.length() > 60 ? text.substring(0, 60) + "…" : text;
    }
}
