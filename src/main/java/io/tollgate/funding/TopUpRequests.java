package io.tollgate.funding;

/** Request bodies of manual top-ups. */
public final class TopUpRequests {
    private TopUpRequests() {
    }

    /** {@code paymentMethodId} null: the tenant's default method. */
    public record Quote(Long amountMicros, String paymentMethodId) {
    }

    public record Confirm(String quoteId) {
    }
}
