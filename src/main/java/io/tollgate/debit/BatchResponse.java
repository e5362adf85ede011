package io.tollgate.debit;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.tollgate.infra.http.Problem;
import java.util.List;

/** One result per item, in request order: a decision, or a problem for that item alone. */
public record BatchResponse(int approved, int declined, int failed, List<Result> results) {

    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Result(int index, String idempotencyKey, boolean replayed, DebitResponse result, Problem error) {
    }
}
