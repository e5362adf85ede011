package io.tollgate.pricing;

import io.smallrye.mutiny.Uni;
import io.tollgate.infra.http.ProblemException;
import io.tollgate.infra.http.ProblemType;
import io.tollgate.infra.http.Problems;
import io.tollgate.tenant.Allowed;
import io.tollgate.tenant.CurrentCaller;
import io.tollgate.tenant.Role;
import io.tollgate.wallet.Currencies;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.parameters.Parameter;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/** The tenant's cost per item, per currency. */
@Path("/v1")
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "Rate cards", description = "The tenant's prices per item, one card per currency.")
public class RateCardResource {
    private static final String CURRENCY = "ISO 4217 code of the card's currency (not one: 400 `invalid-request`).";
    private final RateCardService rateCards;
    private final CurrentCaller current;

    public RateCardResource(RateCardService rateCards, CurrentCaller current) {
        this.rateCards = rateCards;
        this.current = current;
    }

    @GET
    @Path("/rate-cards/{currency}")
    @Allowed({Role.VIEWER, Role.OWNER, Role.PIPELINE})
    @Operation(summary = "Get the rate card in one currency")
    @Problems(ProblemType.NOT_FOUND)
    public Uni<RateCard> get(@Parameter(description = CURRENCY) @PathParam("currency") String currency) {
        return rateCards.get(current.tenantId(), checked(currency));
    }

    @PUT
    @Path("/rate-cards/{currency}")
    @Consumes(MediaType.APPLICATION_JSON)
    @Allowed(Role.OWNER)
    @Operation(summary = "Replace the rate card in one currency", description = "The whole card; there is no delete. Each pod "
            + "caches a card for `tollgate.pricing.cache-ttl` (2 s).")
    public Uni<RateCard> put(@Parameter(description = CURRENCY) @PathParam("currency") String currency, RateCard.Update update) {
        return rateCards.put(current.tenantId(), checked(currency), update);
    }

    private static String checked(String currency) {
        if (!Currencies.isIso4217(currency)) {
            throw new ProblemException(ProblemType.INVALID_REQUEST, "'" + currency + "' is not an ISO 4217 currency code");
        }
        return currency;
    }
}
