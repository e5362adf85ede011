package io.tollgate.funding;

import org.eclipse.microprofile.openapi.annotations.media.Schema;
/** Request bodies of manual top-ups. */
public final class TopUpRequests {
    private TopUpRequests() {
    }

    /** {@code paymentMethodId} null: the tenant's default method. */
    @Schema(name = "TopUpQuoteRequest", description = "A manual top-up to price.")
    public record Quote(
            @Schema(description = "What the wallet should get, in micros: `tollgate.funding.topups.min-micros` … `max-micros` "
                    + "(default 5 … 10000 units), a whole number of the currency's minor units.", required = true,
                    examples = "50000000") Long amountMicros,
            @Schema(description = "One of the tenant's payment methods; absent = the tenant's default method.") String paymentMethodId) {
    }

    @Schema(name = "TopUpConfirm", description = "The quote to confirm.")
    public record Confirm(
            @Schema(description = "The quote's id (`q_…`).", required = true) String quoteId) {
    }
}
