package io.tollgate.infra.http;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.json.Json;
import jakarta.ws.rs.core.Response;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

/** An RFC 9457 problem details body. */
@JsonInclude(JsonInclude.Include.NON_NULL)
@Schema(description = "An RFC 9457 problem (`application/problem+json`). Switch on `type` (or its last segment, the slug); "
        + "titles may be reworded.")
public record Problem(
        @Schema(description = "The problem type: `https://tollgate.dev/problems/` and a stable slug.", format = "uri",
                examples = "https://tollgate.dev/problems/wallet-not-found") String type,
        @Schema(description = "A short summary of the type, for people.", examples = "No such wallet") String title,
        @Schema(description = "The HTTP status (in a batch item's `error`, the status the item alone would have had).",
                examples = "404") int status,
        @Schema(description = "What went wrong this time, when there is something to say; absent otherwise.",
                examples = "no wallet w_doesnotexist") String detail,
        @Schema(description = "Not used by Tollgate: always absent.") String instance) {
    public static final String MEDIA_TYPE = "application/problem+json";

    public static Problem of(ProblemType type, String detail) {
        return new Problem(type.uri(), type.title(), type.status(), detail, null);
    }

    public Response toResponse() {
        return Response.status(status).type(MEDIA_TYPE).entity(this).build();
    }

    /** Answers with this problem on a Vert.x route (those that run before or instead of the REST layer). */
    public void writeTo(HttpServerResponse response) {
        response.setStatusCode(status).putHeader("Content-Type", MEDIA_TYPE).end(Json.encode(this));
    }
}
