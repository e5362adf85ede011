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
import org.eclipse.microprofile.openapi.annotations.media.Schema;
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
    @Schema(name = "TenantAlertSettings", description = "The tenant's email recipients of alerts.")
    public record TenantSettings(
            @Schema(description = "At most 10 distinct addresses `local@domain.tld`, each at most 254 characters; `[]` sends no "
                    + "more email. Answered sorted.", required = true, examples = "[\"ops@acme.example\"]") List<String> emails) {
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
    @Schema(name = "WalletAlertSettings", description = "A wallet's low-balance alert levels.")
    public record WalletSettings(
            @Schema(description = "At most 5 distinct levels within ±(2^53−1) micros (negative levels suit credit-limit wallets): "
                    + "a `balance.low` alert at most once per UTC day per level, when an event leaves the balance at or below "
                    + "it. `[]` turns low-balance alerts off. Answered highest first.", required = true) List<Long> lowBalanceLevelsMicros) {
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

    @Schema(name = "WebhookEndpointCreate", description = "A new webhook endpoint for alerts.")
    public record NewEndpoint(
            @Schema(description = "An absolute `http` or `https` URL with a host, without user info or fragment, at most 2000 "
                    + "characters; its host must not be a literal internal address (loopback, private, link-local and the like) "
                    + "unless its network is in `tollgate.alerts.webhook-allowed-networks`.", required = true,
                    examples = "https://hooks.acme.example/tollgate") String url) {
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
    @Schema(name = "WebhookEndpoint", description = "A webhook endpoint that receives signed alerts.")
    public record Endpoint(
            @Schema(description = "The endpoint's id (`we_…`).", examples = "we_4kq2xw3m5tbx7y2yq6ha") String id,
            @Schema(description = "Where alerts are POSTed.") String url,
            @Schema(description = "When the endpoint was added (RFC 3339).") Instant createdAt,
            @Schema(description = "The key of the alerts' signature (`whsec_…`); only in the answer that creates the endpoint.")
            String secret) {
    }

    /** One line of the delivery log. {@code target} is the email address or the webhook endpoint id. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    @Schema(name = "AlertDelivery", description = "One alert to one recipient, and how its delivery went.")
    public record Delivery(
            @Schema(description = "The delivery's id (`dl_…`).") String id,
            @Schema(description = "What happened: `balance.low`, `balance.depleted`, `topup.succeeded`, `topup.failed`, "
                    + "`auto_recharge.disabled`, …", examples = "balance.low") String alertType,
            @Schema(description = "What makes the alert unique; an alert with the same key is sent once per recipient.") String dedupeKey,
            @Schema(description = "The wallet the alert is about, if any.") String walletId,
            @Schema(description = "`email` or `webhook`.", enumeration = {"email", "webhook"}) String channel,
            @Schema(description = "The email address, or the webhook endpoint's id.") String target,
            @Schema(description = "`pending` (with `nextAttemptAt`), `delivered` (with `deliveredAt`) or `failed`.",
                    enumeration = {"pending", "delivered", "failed"}) String state,
            @Schema(description = "Attempts so far.") int attempts,
            @Schema(description = "HTTP status of the last webhook attempt, when there is one.") Integer lastStatus,
            @Schema(description = "Why the last attempt failed, when it did.") String lastError,
            @Schema(description = "When the alert was recorded (RFC 3339).") Instant createdAt,
            @Schema(description = "When the next attempt is due (RFC 3339), while pending.") Instant nextAttemptAt,
            @Schema(description = "When it was delivered (RFC 3339).") Instant deliveredAt) {
    }

    static ProblemException invalid(String detail) {
        return new ProblemException(ProblemType.INVALID_REQUEST, detail);
    }

    private static String clip(String text) {
        return text == null ? "null" : text.length() > 60 ? text.substring(0, 60) + "…" : text;
    }
}
