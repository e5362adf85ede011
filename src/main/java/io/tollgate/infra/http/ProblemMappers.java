package io.tollgate.infra.http;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.exc.InvalidFormatException;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import com.fasterxml.jackson.databind.JsonMappingException;
import io.smallrye.mutiny.TimeoutException;
import jakarta.ws.rs.NotAcceptableException;
import jakarta.ws.rs.NotAllowedException;
import jakarta.ws.rs.NotFoundException;
import jakarta.ws.rs.NotSupportedException;
import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.core.Response;
import java.util.stream.Collectors;
import org.jboss.logging.Logger;
import org.jboss.resteasy.reactive.server.ServerExceptionMapper;

/** Turns every failure into problem+json; no stack trace ever reaches a client. */
public class ProblemMappers {
    private static final Logger LOG = Logger.getLogger(ProblemMappers.class);

    @ServerExceptionMapper
    public Response problem(ProblemException e) {
        return e.problem().toResponse();
    }

    // One mapper per type although all delegate to problemFor: a mapper for the exact type is what overrides the
    // REST layer's built-in ones (Jackson's mismatched-input mapper, WebApplicationException's own response).
    @ServerExceptionMapper
    public Response unrecognized(UnrecognizedPropertyException e) {
        return problemFor(e).toResponse();
    }

    @ServerExceptionMapper
    public Response mismatched(MismatchedInputException e) {
        return problemFor(e).toResponse();
    }

    @ServerExceptionMapper
    public Response format(InvalidFormatException e) {
        return problemFor(e).toResponse();
    }

    @ServerExceptionMapper
    public Response json(JsonProcessingException e) {
        return problemFor(e).toResponse();
    }

    @ServerExceptionMapper
    public Response web(WebApplicationException e) {
        return problemFor(e).toResponse();
    }

    @ServerExceptionMapper
    public Response timeout(TimeoutException e) {
        return problemFor(e).toResponse();
    }

    @ServerExceptionMapper
    public Response unexpected(Throwable e) {
        return problemFor(e).toResponse();
    }

    /**
     * The problem any failure is answered with, for the REST resources (the mappers above) and for routes served
     * straight from Vert.x alike. Unexpected failures are logged here, once; their details never reach the client.
     */
    public static Problem problemFor(Throwable e) {
        if (e instanceof ProblemException p) {
            return p.problem();
        }
        if (e instanceof UnrecognizedPropertyException u) {
            return Problem.of(ProblemType.INVALID_REQUEST, "unknown field '" + u.getPropertyName() + "'");
        }
        if (e instanceof JsonProcessingException j) {
            return Problem.of(ProblemType.INVALID_REQUEST, describe(j));
        }
        if (e instanceof WebApplicationException w) {
            return webProblem(w);
        }
        if (e instanceof TimeoutException) {
            LOG.warn("backing service timed out", e);
            return Problem.of(ProblemType.UNAVAILABLE, null);
        }
        return unavailableOrInternal(e);
    }

    private static Problem webProblem(WebApplicationException e) {
        if (e.getCause() instanceof JsonProcessingException json) {
            return problemFor(json);
        }
        ProblemType type = null;
        if (e instanceof NotFoundException) {
            type = ProblemType.NOT_FOUND;
        } else if (e instanceof NotAllowedException) {
            type = ProblemType.METHOD_NOT_ALLOWED;
        } else if (e instanceof NotSupportedException) {
            type = ProblemType.UNSUPPORTED_MEDIA_TYPE;
        } else if (e instanceof NotAcceptableException) {
            type = ProblemType.NOT_ACCEPTABLE;
        }
        if (type != null) {
            return Problem.of(type, null);
        }
        int status = e.getResponse().getStatus();
        if (status >= 400 && status < 500) {
            return new Problem(ProblemType.INVALID_REQUEST.uri(), ProblemType.INVALID_REQUEST.title(), status, null, null);
        }
        return unavailableOrInternal(e);
    }

    /** A failure no rule above describes: 503 if a backing service is unreachable, else 500; logged either way. */
    private static Problem unavailableOrInternal(Throwable e) {
        if (isUnavailable(e)) {
            LOG.warnf("backing service unavailable: %s", e.toString());
            return Problem.of(ProblemType.UNAVAILABLE, null);
        }
        LOG.error("unexpected failure", e);
        return Problem.of(ProblemType.INTERNAL, null);
    }

    /** Connection refused or reset, pool exhausted, or a timeout anywhere in the cause chain: retryable, 503. */
    static boolean isUnavailable(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause() == t ? null : t.getCause()) {
            String name = t.getClass().getName();
            if (t instanceof java.io.IOException || t instanceof java.util.concurrent.TimeoutException
                    || t instanceof TimeoutException || name.endsWith("ConnectionPoolTooBusyException")
                    || name.contains("Connect") || (t.getMessage() != null && t.getMessage().contains("Connection refused"))) {
                return true;
            }
        }
        return false;
    }

    private static String describe(JsonProcessingException e) {
        if (e instanceof JsonMappingException mapping && !mapping.getPath().isEmpty()) {
            String field = mapping.getPath().stream()
                    .map(ref -> ref.getFieldName() != null ? ref.getFieldName() : "[" + ref.getIndex() + "]")
                    .collect(Collectors.joining("."));
            if (e instanceof InvalidFormatException || e instanceof MismatchedInputException) {
                return "field '" + field + "' has the wrong type or format";
            }
            return "field '" + field + "' is not valid";
        }
        String message = e.getOriginalMessage();
        if (message != null && message.startsWith("Duplicate field")) {
            return message;
        }
        return "the body is not valid JSON for this operation";
    }
}
