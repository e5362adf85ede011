package io.tollgate.web;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.tollgate.support.Browser;
import java.net.URL;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.WebElement;

/** The start page in a real browser (headless Chromium): it renders, and its Swagger UI link leads to the API. */
@QuarkusTest
class IndexPageBrowserIT {
    static Browser browser;

    @TestHTTPResource("/")
    URL root;

    @BeforeAll
    static void startBrowser() {
        browser = Browser.start();
    }

    @AfterAll
    static void closeBrowser() {
        if (browser != null) {
            browser.close();
        }
    }

    @Test
    void theStartPageLinksEveryWayIn() {
        browser.driver().get(root.toString());
        assertTrue(browser.driver().getTitle().startsWith("Tollgate"), browser.driver().getTitle());
        assertEquals(List.of(root + "q/swagger-ui/", root + "q/openapi", root + "q/health", root + "q/metrics"),
                browser.driver().findElements(By.cssSelector("a")).stream().map(a -> a.getDomProperty("href")).toList());
        assertTrue(browser.driver().findElement(By.id("docs")).isDisplayed());
    }

    @Test
    void theSwaggerUiLinkOpensTheTollgateApi() {
        browser.driver().get(root.toString());
        browser.driver().findElement(By.id("swagger-ui")).click();
        WebElement title = browser.await(driver -> driver.findElements(By.cssSelector(".info .title")).stream()
                .filter(e -> e.getText().contains("Tollgate API")).findFirst().orElse(null));
        assertTrue(title.getText().startsWith("Tollgate API"), title.getText());
        assertTrue(browser.driver().getCurrentUrl().startsWith(root + "q/swagger-ui"), browser.driver().getCurrentUrl());
    }
}
