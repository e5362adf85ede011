package io.tollgate.infra.http;

/**
 * Every error Tollgate returns, with its stable RFC 9457 {@code type} URI, HTTP status and title.
 * The slug is the contract: clients switch on it; titles may be reworded. Documented in docs/reference/errors.md.
 */
public enum ProblemType {
    INVALID_REQUEST("invalid-request", 400, "The request is not valid"),
    INVALID_IDEMPOTENCY_KEY("invalid-idempotency-key", 400, "The Idempotency-Key header is missing or not valid"),
    TENANT_REQUIRED("tenant-required", 400, "An admin key must name the tenant in the Tollgate-Tenant header"),
    UNAUTHENTICATED("unauthenticated", 401, "A valid API key is required"),
    FORBIDDEN("forbidden", 403, "The API key's role does not allow this operation"),
    NOT_FOUND("not-found", 404, "No such resource"),
    WALLET_NOT_FOUND("wallet-not-found", 404, "No such wallet"),
    TENANT_NOT_FOUND("tenant-not-found", 404, "No such tenant"),
    DEBIT_NOT_FOUND("debit-not-found", 404, "No such debit, or it is older than the reversal window"),
    METHOD_NOT_ALLOWED("method-not-allowed", 405, "The method is not allowed on this resource"),
    NOT_ACCEPTABLE("not-acceptable", 406, "Tollgate answers application/json"),
    WALLET_EXISTS("wallet-exists", 409, "A wallet with this id exists already"),
    REDIS_AHEAD("redis-ahead", 409, "Redis holds events the ledger has not recorded yet; rebuilding now would lose them"),
    PAYLOAD_TOO_LARGE("payload-too-large", 413, "The request body is too large"),
    UNSUPPORTED_MEDIA_TYPE("unsupported-media-type", 415, "The request body must be application/json"),
    IDEMPOTENCY_CONFLICT("idempotency-conflict", 422, "The Idempotency-Key was used before with a different request"),
    UNKNOWN_ITEM("unknown-item", 422, "The rate card has no price for this item"),
    CURRENCY_MISMATCH("currency-mismatch", 422, "The currency does not match the wallet's currency"),
    UNKNOWN_CHANNEL("unknown-channel", 422, "The channel is not one of the wallet's channels"),
    AUTO_RECHARGE_INCOMPLETE("auto-recharge-incomplete", 422, "Auto-recharge needs a threshold and an amount before it can be enabled"),
    REVERSAL_EXCEEDS_DEBIT("reversal-exceeds-debit", 422, "Reversals may return at most the debit's amount in total"),
    BALANCE_LIMIT("balance-limit", 422, "The balance would leave the range Tollgate can hold exactly"),
    PAYMENT_METHOD_NOT_FOUND("payment-method-not-found", 404, "No such payment method"),
    TOPUP_NOT_FOUND("top-up-not-found", 404, "No such top-up"),
    QUOTE_NOT_FOUND("quote-not-found", 404, "No such top-up quote for this wallet"),
    QUOTE_EXPIRED("quote-expired", 422, "The top-up quote has expired; ask for a new one"),
    QUOTE_USED("quote-used", 409, "The top-up quote was confirmed already, under another Idempotency-Key"),
    AMOUNT_OUT_OF_RANGE("amount-out-of-range", 422, "The amount is outside the limits Tollgate accepts for it"),
    NO_PAYMENT_METHOD("no-payment-method", 422, "The tenant has no usable payment method for this"),
    EMERGENCY_TOPUP_INCOMPLETE("emergency-top-up-incomplete", 422, "An emergency top-up needs a target and a cap before it can be enabled"),
    CONCURRENT_CHANGE("concurrent-change", 409, "Another request changed the same resource at the same time; retry"),
    INVALID_SIGNATURE("invalid-signature", 400, "The webhook signature is missing, stale or does not match"),
    WEBHOOK_ENDPOINT_NOT_FOUND("webhook-endpoint-not-found", 404, "No such webhook endpoint"),
    API_KEY_LIMIT("api-key-limit", 422, "The tenant has the most active API keys allowed; revoke one first"),
    WEBHOOK_ENDPOINT_LIMIT("webhook-endpoint-limit", 422, "The tenant has the most webhook endpoints allowed; delete one first"),
    UNAVAILABLE("unavailable", 503, "A backing service did not answer in time; nothing was changed or it is safe to retry with the same Idempotency-Key"),
    INTERNAL("internal", 500, "Unexpected error");

    public static final String BASE_URI = "https://tollgate.dev/problems/";

    private final String slug;
    private final int status;
    private final String title;

    ProblemType(String slug, int status, String title) {
        this.slug = slug;
        this.status = status;
        this.title = title;
    }

    public String uri() {
        return BASE_URI + slug;
    }

    public String slug() {
        return slug;
    }

    public int status() {
        return status;
    }

    public String title() {
        return title;
    }
}
