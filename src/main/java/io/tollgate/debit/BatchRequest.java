package io.tollgate.debit;

import io.tollgate.infra.http.ProblemException;
import io.tollgate.infra.http.ProblemType;
import java.util.List;
import java.util.Map;

/** Up to {@code tollgate.debit.batch-max-items} debits, each with its own wallet and idempotency key. */
public record BatchRequest(List<Item> items) {

    public record Item(String walletId, String idempotencyKey, Long amountMicros, String item, Long quantity,
            String destinationCountry, String currency, DebitRequest.Origin origin, DebitRequest.Direction direction,
            String channel, String user, Map<String, String> reference, Boolean force) {

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
