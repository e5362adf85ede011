package io.tollgate.web;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.startsWith;

import io.quarkus.test.junit.QuarkusTest;
import org.junit.jupiter.api.Test;

/** {@code GET /} is a page that says what Tollgate is and where to go next, not a bare 404; it needs no API key. */
@QuarkusTest
class IndexPageIT {
    @Test
    void theRootIsAPageWithTheWaysIn() {
        given().get("/").then().statusCode(200)
                .contentType(startsWith("text/html"))
                .body(containsString("<title>Tollgate"))
                .body(containsString("prepaid debit gateway"))
                .body(containsString("href=\"q/swagger-ui/\""))
                .body(containsString("href=\"q/openapi\""))
                .body(containsString("href=\"q/health\""))
                .body(containsString("docs/start/quickstart.md"));
    }

    @Test
    void everyLinkOfThePageAnswers() {
        for (String link : new String[] {"/q/swagger-ui/", "/q/openapi", "/q/health", "/q/metrics"}) {
            given().get(link).then().statusCode(200);
        }
    }

    @Test
    void thePageFetchesNothingFromElsewhere() {
        given().get("/").then().body(org.hamcrest.Matchers.not(containsString("http://")))
                .body(org.hamcrest.Matchers.not(containsString("https://")))
                .body(org.hamcrest.Matchers.not(containsString("<script")));
    }
}
