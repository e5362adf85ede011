package io.tollgate.funding;

import io.vertx.mutiny.core.Vertx;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Produces;

/** Chooses the payment provider adapter from tollgate.funding.provider. */
public class PaymentProviders {

    @Produces
    @ApplicationScoped
    @io.quarkus.runtime.Startup
    PaymentProvider provider(FundingConfig config, Vertx vertx) {
        return switch (config.provider()) {
            case "simulated" -> new SimulatedPaymentProvider(vertx, config.simulated());
            case "stripe" -> new StripePaymentProvider(vertx, config.stripe());
            default -> throw new IllegalArgumentException("tollgate.funding.provider must be simulated or stripe, not " + config.provider());
        };
    }
}
