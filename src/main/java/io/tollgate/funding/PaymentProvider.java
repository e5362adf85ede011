package io.tollgate.funding;

import io.smallrye.mutiny.Uni;

/**
 * The port to a card processor. A charge is created first (nothing is taken), its id is stored, then it is confirmed:
 * a charge can succeed at most once, so after a timeout Tollgate looks the charge up instead of charging again.
 *
 * <p>Every call either answers with a {@link ProviderCharge} (declines included: they are answers, not errors) or
 * fails with {@link ProviderUnavailableException} when the outcome is unknown (timeout, 5xx, connection error,
 * rate limit): the caller retries the same call with the same idempotency key.
 */
public interface PaymentProvider {

    /** Creates an unconfirmed charge; idempotent on {@code request.idempotencyKey()}. */
    Uni<ProviderCharge> create(ChargeRequest request);

    /** Confirms (takes the money); idempotent on the key, and a charge never succeeds twice. */
    Uni<ProviderCharge> confirm(String paymentId, String idempotencyKey);

    /** The charge's current state. */
    Uni<ProviderCharge> retrieve(String paymentId);

    /** What to charge: amounts in the currency's minor unit, as card processors count. */
    record ChargeRequest(String idempotencyKey, long amountMinor, String currency, String paymentMethodRef,
            String customerRef, String topUpId) {
    }

    enum ChargeStatus { REQUIRES_CONFIRMATION, PROCESSING, SUCCEEDED, DECLINED }

    record ProviderCharge(String paymentId, ChargeStatus status, String declineCode, String message) {
    }

    /** The provider did not give a definite answer; the same call may be repeated with the same key. */
    class ProviderUnavailableException extends RuntimeException {
        public ProviderUnavailableException(String message) {
            super(message, null, false, false);
        }
    }
}
