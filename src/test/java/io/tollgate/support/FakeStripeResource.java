package io.tollgate.support;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import java.util.Map;

/** Points Tollgate's Stripe-compatible adapter at the fake Stripe server (one per test JVM, never stopped early). */
public class FakeStripeResource implements QuarkusTestResourceLifecycleManager {
    @Override
    public Map<String, String> start() {
        return Map.of("tollgate.funding.stripe.base-url", FakeStripe.get().url());
    }

    @Override
    public void stop() {
        // Shared by every Quarkus restart of the test JVM; it ends with the JVM.
    }
}
