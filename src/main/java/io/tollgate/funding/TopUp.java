package io.tollgate.funding;

import io.quarkus.hibernate.reactive.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.OffsetDateTime;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

/** One top-up and where it stands (table top_up, V2__funding.sql); driven by TopUpProcessor. */
@Entity
@Table(name = "top_up")
public class TopUp extends PanacheEntityBase {
    public enum Kind { MANUAL, AUTO, EMERGENCY }

    public enum State { PENDING, SUCCEEDED, FAILED, SKIPPED }

    @Id
    public String id;
    @Column(name = "tenant_id")
    public String tenantId;
    @Column(name = "wallet_id")
    public String walletId;
    public String kind;
    public String state;
    @Column(columnDefinition = "char(3)")
    public String currency;
    @Column(name = "amount_micros")
    public long amountMicros;
    @Column(name = "fee_micros")
    public long feeMicros;
    /** Manual: the quote's method. Automatic: the wallet's chosen method, or null for the tenant's default. */
    @Column(name = "payment_method_id")
    public String paymentMethodId;
    /** Which method the next charge uses: default (the primary one), backup, or chosen (manual: only that one). */
    @Column(name = "method_slot")
    public String methodSlot;
    @Column(name = "quote_id")
    public String quoteId;
    @Column(name = "request_key")
    public String requestKey;
    @Column(name = "trigger_event_id")
    public String triggerEventId;
    /** Charges started so far; the provider idempotency keys are derived from it. */
    public int attempt;
    /** Declined charges in a row. */
    public int failures;
    @Column(name = "transient_errors")
    public int transientErrors;
    @Column(name = "provider_payment_id")
    public String providerPaymentId;
    @Column(name = "provider_status")
    public String providerStatus;
    @Column(name = "next_attempt_at")
    public OffsetDateTime nextAttemptAt;
    @Column(name = "lease_until")
    public OffsetDateTime leaseUntil;
    @Column(name = "lease_token")
    public String leaseToken;
    @Column(name = "failure_reason")
    public String failureReason;
    /** Set by {@link TopUpService#newTopUp} at millisecond precision, so the answer to the POST and every later read agree. */
    @Column(name = "created_at", updatable = false)
    public OffsetDateTime createdAt;
    @Column(name = "updated_at")
    public OffsetDateTime updatedAt;
    @Column(name = "settled_at")
    public OffsetDateTime settledAt;

    public Kind kind() {
        return Kind.valueOf(kind.toUpperCase(java.util.Locale.ROOT));
    }

    public boolean is(State s) {
        return s.name().equalsIgnoreCase(state);
    }

    /** What the API shows. */
    @Schema(name = "TopUp", description = "A top-up of a wallet through the payment provider, and where it stands.")
    public record View(
            @Schema(description = "The top-up's id (`tu_…`).") String id,
            @Schema(description = "The wallet topped up.") String walletId,
            @Schema(description = "`manual` (a confirmed quote), `auto` (auto-recharge) or `emergency`.",
                    enumeration = {"manual", "auto", "emergency"}) String kind,
            @Schema(description = "`pending` until the provider settles the charge, then `succeeded` or `failed`; `skipped` when "
                    + "the daily cap stopped it.", enumeration = {"pending", "succeeded", "failed", "skipped"}) String state,
            @Schema(description = "ISO 4217 code of the wallet's currency.") String currency,
            @Schema(description = "What the wallet gets, in micros.") long amountMicros,
            @Schema(description = "The fee charged on top, in micros.") long feeMicros,
            @Schema(description = "The payment method charged; null = the tenant's default.") String paymentMethodId,
            @Schema(description = "Charges started so far.") int attempts,
            @Schema(description = "Why it failed, for people; null unless `failed` or `skipped`.") String failureReason,
            @Schema(description = "When the top-up was recorded (RFC 3339).") OffsetDateTime createdAt,
            @Schema(description = "When it succeeded, failed or was skipped (RFC 3339); null while pending.") OffsetDateTime settledAt) {
    }

    public View view() {
        return new View(id, walletId, kind, state, currency, amountMicros, feeMicros, paymentMethodId, attempt,
                failureReason, createdAt, settledAt);
    }
}
