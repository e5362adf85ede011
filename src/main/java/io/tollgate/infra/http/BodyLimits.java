package io.tollgate.infra.http;

import io.vertx.ext.web.Router;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Singleton;
import io.vertx.ext.web.RoutingContext;

/**
 * Rejects oversized bodies with a problem before anything reads them: 64 KiB for single operations, 1 MiB for a
 * batch of up to 1,000 debits. Bodies without Content-Length are capped by quarkus.http.limits.max-body-size.
 */
@Singleton
public class BodyLimits {
    public static final int SINGLE_MAX_BYTES = 64 * 1024;
    public static final int BATCH_MAX_BYTES = 1024 * 1024;

    void install(@Observes Router router) {
        router.route().order(-100).handler(BodyLimits::limit);
    }

    static void limit(RoutingContext rc) {
        String length = rc.request().getHeader("Content-Length");
        if (length != null) {
            long bytes;
            try {
                bytes = Long.parseLong(length.trim());
            } catch (NumberFormatException e) {
                bytes = Long.MAX_VALUE;
            }
            int max = rc.normalizedPath().endsWith("/debit-batches") ? BATCH_MAX_BYTES : SINGLE_MAX_BYTES;
            if (bytes > max) {
                rc.response().putHeader("Connection", "close");
                Problem.of(ProblemType.PAYLOAD_TOO_LARGE, "at most " + max + " bytes").writeTo(rc.response());
                return;
            }
        }
        rc.next();
    }
}
