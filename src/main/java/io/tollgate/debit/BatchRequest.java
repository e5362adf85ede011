package io.tollgate.debit;

import io.tollgate.infra.http.ProblemException;
import io.tollgate.infra.http.ProblemType;
import java.util.List;
import java.util.Map;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

/** Up to {@code tollgate.debit.batch-max-items} debits, each with its own wallet and idempotency key. */
@Schema(name = "DebitBatch", description = "Up to `tollgate.debit.batch-max-items` (1000) debits, each with its own wallet and key.")
public record BatchRequest(
        @Schema(description = "The debits, 1–1000; decided per bucket in request order.", required = true) List<Item> items) {

    @Schema(name = "DebitBatchItem", description = "One debit of a batch: the fields of a single debit plus its wallet and key.")
    public record Item(
            @Schema(description = "The wallet to debit; items may name different wallets of the tenant.", required = true) String walletId,
            @Schema(description = "The item's Idempotency-Key, 1–255 printable ASCII characters.", required = true) String idempotencyKey,
            @Schema(description = DebitRequest.DOC_AMOUNT) Long amountMicros,
            @Schema(description = DebitRequest.DOC_ITEM) String item,
            @Schema(description = DebitRequest.DOC_QUANTITY) Long quantity,
            @Schema(description = DebitRequest.DOC_COUNTRY) String destinationCountry,
            @Schema(description = DebitRequest.DOC_CURRENCY) String currency,
            @Schema(description = DebitRequest.DOC_ORIGIN) DebitRequest.Origin origin,
            @Schema(description = DebitRequest.DOC_DIRECTION) DebitRequest.Direction direction,
            @Schema(description = DebitRequest.DOC_CHANNEL) String channel,
            @Schema(description = DebitRequest.DOC_USER) String user,
            @Schema(description = DebitRequest.DOC_REFERENCE) Map<String, String> reference,
            @Schema(description = DebitRequest.DOC_FORCE) Boolean force) {

        DebitRequest debit() {
            return new DebitRequest(amountMicros, item, quantity, destinationCountry, currency, origin, direction,
                    channel, user, reference, force);
        }
    }

    void validate(int maxItems) {
        if (items == null || items.isEmpty() || items.size() > maxItems) {
            throw new ProblemException(ProblemType.INVALID_REQUEST, "items must hold 1.." + maxItems + " debits");
        }
        for (int i = 0; i < items.size(); i++) {
            if (items.get(i) == null) {
                throw new ProblemException(ProblemType.INVALID_REQUEST, "items[" + i + "] is null");
            }
            items.get(i).debit().validate("items[" + i + "].");
        }
    }
}
