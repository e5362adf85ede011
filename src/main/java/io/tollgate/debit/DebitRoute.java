package io.tollgate.debit;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.ObjectReader;
import io.smallrye.mutiny.Uni;
import io.tollgate.infra.config.TollgateConfig;
import io.tollgate.infra.http.BodyLimits;
import io.tollgate.infra.http.IdempotencyKey;
import io.tollgate.infra.http.Problem;
import io.tollgate.infra.http.ProblemMappers;
import io.tollgate.infra.http.ProblemType;
import io.tollgate.tenant.Authenticator;
import io.tollgate.tenant.CurrentCaller;
import io.tollgate.tenant.Role;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Singleton;
import java.io.IOException;

/**
 * {@code POST /v1/wallets/{walletId}/debits} served straight from Vert.x, ahead of the REST layer: the one call
 * every send makes. Same contract as {@link DebitResource#authorise} (which stays for the OpenAPI document and is
 * reached only if this route is switched off with {@code tollgate.debit.direct-route=false}): the same
 * authentication ({@link Authenticator}), the same strict JSON mapper, the same {@link DebitService}, the same
 * problem+json answers ({@link ProblemMappers#problemFor}).
 *
 * <p>Why: the REST layer's per-request machinery (matching, filters, context propagation, request scope, writer
 * lookup) was about 40 % of Tollgate's CPU per debit: 76 µs against 46 µs, A/B on 2026-12-01 (benchmarks.md).
 *
 * <p>Order of checks, as in the REST layer: 415 (Content-Type not JSON), 406 (Accept excludes JSON), then the body
 * (at most {@link BodyLimits#SINGLE_MAX_BYTES}, else 413 at once; the connection is closed after 2 MiB more), then 401/403, then the body's validation and the debit.
 */
@Singleton
public class DebitRoute {
    static final String PATH = "/v1/wallets/:walletId/debits";
    private static final Role[] ALLOWED = {Role.PIPELINE};
    private static final String JSON = "application/json";
    /** How much of an oversized chunked body is read (and dropped) after the 413 before the connection is closed. */
    private static final long DISCARD_MAX_BYTES = 2L * 1024 * 1024;

    private final DebitService debits;
    private final Authenticator authenticator;
    private final ObjectReader reader;
    private final ObjectMapper mapper;
    private final boolean enabled;

    public DebitRoute(DebitService debits, Authenticator authenticator, ObjectMapper mapper, TollgateConfig config) {
        this.debits = debits;
        this.authenticator = authenticator;
        this.mapper = mapper;
        this.reader = mapper.readerFor(DebitRequest.class);
        this.enabled = config.debit().directRoute();
    }

    void install(@Observes Router router) {
        if (enabled) {
            // After BodyLimits (order -100), before the REST layer.
            router.post(PATH).order(-50).handler(this::handle);
        }
    }

    private void handle(RoutingContext rc) {
        HttpServerRequest request = rc.request();
        if (!isJson(request.getHeader(HttpHeaders.CONTENT_TYPE))) {
            answer(rc, Problem.of(ProblemType.UNSUPPORTED_MEDIA_TYPE, null));
            return;
        }
        if (!acceptsJson(request.getHeader(HttpHeaders.ACCEPT))) {
            answer(rc, Problem.of(ProblemType.NOT_ACCEPTABLE, null));
            return;
        }
        Buffer body = Buffer.buffer();
        long[] discardedBytes = {-1}; // -1 while the body fits; then how much of it was read and thrown away
        request.handler(chunk -> {
            if (discardedBytes[0] < 0 && body.length() + chunk.length() <= BodyLimits.SINGLE_MAX_BYTES) {
                body.appendBuffer(chunk);
                return;
            }
            if (discardedBytes[0] < 0) { // answered at once; the rest of the body is read and dropped
                discardedBytes[0] = 0;
                answer(rc, Problem.of(ProblemType.PAYLOAD_TOO_LARGE, "at most " + BodyLimits.SINGLE_MAX_BYTES + " bytes"));
            }
            discardedBytes[0] += chunk.length();
            if (discardedBytes[0] > DISCARD_MAX_BYTES) { // a body without end: stop reading it
                request.connection().close();
            }
        });
        request.endHandler(v -> {
            if (discardedBytes[0] < 0) {
                debit(rc, body);
            }
        });
        request.exceptionHandler(failure -> {
            if (!(failure instanceof io.vertx.core.http.HttpClosedException)) { // closed by the client: nobody to answer
                answer(rc, ProblemMappers.problemFor(failure));
            }
        });
        request.resume();
    }

    private void debit(RoutingContext rc, Buffer body) {
        HttpServerRequest request = rc.request();
        String walletId = rc.pathParam("walletId");
        String idempotencyKey = request.getHeader(IdempotencyKey.HEADER);
        String authorization = request.getHeader(HttpHeaders.AUTHORIZATION);
        String namedTenant = request.getHeader(Authenticator.TENANT_HEADER);
        Uni<DebitService.Result> result;
        try {
            // A key this pod resolved within the cache TTL needs no Uni step before the debit's own (the common case).
            Authenticator.Acting acting = authenticator.authenticateNow(authorization, namedTenant, ALLOWED);
            result = acting != null ? debitAs(acting, walletId, idempotencyKey, body)
                    : authenticator.authenticate(authorization, namedTenant, ALLOWED)
                            .chain(looked -> debitAs(looked, walletId, idempotencyKey, body));
        } catch (RuntimeException e) { // ProblemException from authentication or validation: answered as a problem
            answer(rc, ProblemMappers.problemFor(e));
            return;
        }
        result.subscribe().with(done -> respond(rc, done), failure -> answer(rc, ProblemMappers.problemFor(failure)));
    }

    /** The debit for the authenticated caller; validation errors are thrown, as the service throws them. */
    private Uni<DebitService.Result> debitAs(Authenticator.Acting acting, String walletId, String idempotencyKey, Buffer body) {
        if (acting.tenantId() == null) {
            throw CurrentCaller.tenantRequired();
        }
        DebitRequest parsed;
        try {
            parsed = parse(body);
        } catch (IOException e) { // Jackson's own exceptions: answered as invalid-request by problemFor
            return Uni.createFrom().failure(e);
        }
        return debits.authorise(acting.tenantId(), acting.caller().keyId(), walletId, idempotencyKey, parsed);
    }

    /** The body as a debit; an empty body (or JSON null) is null, which the service answers as "a body is required". */
    private DebitRequest parse(Buffer body) throws IOException {
        return body.length() == 0 ? null : reader.readValue(body.getBytes());
    }

    private void respond(RoutingContext rc, DebitService.Result result) {
        byte[] json;
        try {
            json = mapper.writeValueAsBytes(DebitResponse.of(result.decision()));
        } catch (IOException e) {
            answer(rc, ProblemMappers.problemFor(e));
            return;
        }
        rc.response().setStatusCode(200).putHeader(HttpHeaders.CONTENT_TYPE, JSON)
                .putHeader(IdempotencyKey.REPLAYED_HEADER, String.valueOf(result.replayed())).end(Buffer.buffer(json));
    }

    private void answer(RoutingContext rc, Problem problem) {
        if (!rc.response().ended() && !rc.response().headWritten()) {
            problem.writeTo(rc.response());
        }
    }

    /** application/json, any case, with or without parameters (charset). */
    static boolean isJson(String contentType) {
        if (contentType == null) {
            return false;
        }
        int semi = contentType.indexOf(';');
        return (semi < 0 ? contentType : contentType.substring(0, semi)).trim().equalsIgnoreCase(JSON);
    }

    /** No Accept header, or one that admits application/json (exactly, application/*, or * / *). */
    static boolean acceptsJson(String accept) {
        if (accept == null || accept.isBlank()) {
            return true;
        }
        for (String range : accept.split(",")) {
            int semi = range.indexOf(';');
            String type = (semi < 0 ? range : range.substring(0, semi)).trim().toLowerCase(java.util.Locale.ROOT);
            if (type.equals(JSON) || type.equals("application/*") || type.equals("*/*")) {
                return true;
            }
        }
        return false;
    }
}
