package io.tollgate.openapi;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.tollgate.infra.http.ProblemType;
import java.util.EnumSet;
import org.eclipse.microprofile.openapi.OASFactory;
import org.eclipse.microprofile.openapi.models.Operation;
import org.junit.jupiter.api.Test;

/** The filter's pure parts: how it spells a resource method's path, and which problem types every operation gets. */
class OpenApiDocumentFilterTest {

    @Test
    void joinsPathsAsTheDocumentSpellsThem() {
        assertEquals("/v1/wallets/{walletId}", OpenApiDocumentFilter.join("/v1", "/wallets/{walletId}"));
        assertEquals("/v1/payment-methods", OpenApiDocumentFilter.join("/v1/payment-methods", ""));
        assertEquals("/v1/x/{id}/y", OpenApiDocumentFilter.join("v1/", "/x/{id: [a-z]+}/y/"));
        assertEquals("/", OpenApiDocumentFilter.join("/", ""));
    }

    @Test
    void commonProblemsDependOnKeyTenantAndBody() {
        Operation get = OASFactory.createOperation();
        assertEquals(EnumSet.of(ProblemType.NOT_ACCEPTABLE, ProblemType.INTERNAL, ProblemType.UNAVAILABLE),
                OpenApiDocumentFilter.commonProblems(get, false, false));
        assertEquals(EnumSet.of(ProblemType.NOT_ACCEPTABLE, ProblemType.INTERNAL, ProblemType.UNAVAILABLE, ProblemType.INVALID_REQUEST,
                ProblemType.UNAUTHENTICATED, ProblemType.FORBIDDEN, ProblemType.TENANT_NOT_FOUND, ProblemType.TENANT_REQUIRED),
                OpenApiDocumentFilter.commonProblems(get, true, true));

        Operation jsonBody = OASFactory.createOperation().requestBody(OASFactory.createRequestBody()
                .content(OASFactory.createContent().addMediaType("application/json", OASFactory.createMediaType())));
        assertEquals(EnumSet.of(ProblemType.NOT_ACCEPTABLE, ProblemType.INTERNAL, ProblemType.UNAVAILABLE, ProblemType.INVALID_REQUEST,
                ProblemType.PAYLOAD_TOO_LARGE, ProblemType.UNSUPPORTED_MEDIA_TYPE), OpenApiDocumentFilter.commonProblems(jsonBody, false, false));

        Operation anyBody = OASFactory.createOperation().requestBody(OASFactory.createRequestBody()
                .content(OASFactory.createContent().addMediaType("*/*", OASFactory.createMediaType())));
        assertEquals(EnumSet.of(ProblemType.NOT_ACCEPTABLE, ProblemType.INTERNAL, ProblemType.UNAVAILABLE, ProblemType.INVALID_REQUEST,
                ProblemType.PAYLOAD_TOO_LARGE), OpenApiDocumentFilter.commonProblems(anyBody, false, false));
    }
}
