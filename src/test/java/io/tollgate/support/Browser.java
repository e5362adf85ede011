package io.tollgate.support;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.function.Function;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * A real headless browser for the pages Tollgate serves: Debian's Chromium driven through its chromedriver
 * (installed by {@code .ci/run} when missing). Both are named explicitly, so Selenium Manager never runs and
 * nothing is downloaded; the flags keep Chromium off the network (no background services, host names other than
 * the local ones resolve to nothing). Starting one takes seconds: open one per test class, in {@code @BeforeAll},
 * and close it in {@code @AfterAll}.
 */
public final class Browser implements AutoCloseable {
    public static final String CHROMIUM = "/usr/bin/chromium";
    public static final String CHROMEDRIVER = "/usr/bin/chromedriver";
    static final Duration WAIT = Duration.ofSeconds(20);

    /** This browser's profile and driver log; deleted on close. */
    private final Path home;
    private final ChromeDriverService service;
    private final ChromeDriver driver;

    private Browser(Path home, ChromeDriverService service, ChromeDriver driver) {
        this.home = home;
        this.service = service;
        this.driver = driver;
    }

    /** Starts headless Chromium with a fresh profile under target/browser (deleted on close). */
    public static Browser start() {
        Path home = freshHome();
        ChromeDriverService service = new ChromeDriverService.Builder()
                .usingDriverExecutable(new File(CHROMEDRIVER))
                .usingAnyFreePort()
                .withLogFile(home.resolve("chromedriver.log").toFile())
                .build();
        ChromeOptions options = new ChromeOptions().setBinary(CHROMIUM).addArguments(
                "--headless=new", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                "--disable-background-networking", "--disable-component-update", "--disable-sync",
                "--window-size=1280,800", "--user-data-dir=" + home.resolve("profile").toAbsolutePath(),
                // without this Chromium still asks DNS for Google's hosts
                "--host-resolver-rules=MAP * ~NOTFOUND , EXCLUDE 127.0.0.1 , EXCLUDE localhost");
        return new Browser(home, service, new ChromeDriver(service, options));
    }

    public WebDriver driver() {
        return driver;
    }

    /** Waits until {@code condition} gives something other than null or false, at most 20 s. */
    public <T> T await(Function<WebDriver, T> condition) {
        return new WebDriverWait(driver, WAIT).until(condition);
    }

    @Override
    public void close() {
        try {
            driver.quit();
        } finally {
            service.stop();
            delete(home);
        }
    }

    private static Path freshHome() {
        try {
            Path root = Files.createDirectories(Path.of("target", "browser"));
            return Files.createTempDirectory(root, "chromium-");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void delete(Path dir) {
        try (var paths = Files.walk(dir)) {
            for (Path path : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(path);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("could not delete the browser's profile " + dir, e);
        }
    }
}
