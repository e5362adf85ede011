package io.tollgate.debit;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.tollgate.infra.http.Problem;
import java.util.List;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

/** One result per item, in request order: a decision, or a problem for that item alone. */
@Schema(name = "DebitBatchResult", description = "One result per item, in request order.")
public record BatchResponse(
        @Schema(description = "Items approved.") int approved,
        @Schema(description = "Items declined.") int declined,
        @Schema(description = "Items that could not be decided (with an `error`).") int failed,
        @Schema(description = "One per item, in request order.") List<Result> results) {

    @JsonInclude(JsonInclude.Include.NON_NULL)
    @Schema(name = "DebitBatchItemResult", description = "The outcome of one item: a decision, or a problem for that item alone.")
    public record Result(
            @Schema(description = "The item's position in `items`.") int index,
            @Schema(description = "The item's idempotency key.") String idempotencyKey,
            @Schema(description = "`true` if the stored answer of an earlier request was returned.") boolean replayed,
            @Schema(description = "The decision, as for a single debit; absent when `error` is present.") DebitResponse result,
            @Schema(description = "A problem for this item (e.g. `wallet-not-found`, `unknown-item`); absent when decided.") Problem error) {
    }
}
