package io.parley.testing;

import static org.junit.jupiter.api.Assertions.fail;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.function.Consumer;
import org.junit.jupiter.api.Assumptions;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;

/**
 * Debian's Chromium driven through its chromedriver, headless and offline. Where they are not
 * installed, browser tests are skipped with a message, unless {@code PARLEY_REQUIRE_BROWSER} is
 * set (as {@code .ci/run} does), which turns the skip into a failure.
 */
public final class Chromium {

    static final File BROWSER = new File("/usr/bin/chromium");
    static final File DRIVER = new File("/usr/bin/chromedriver");

    private Chromium() {
    }

    /** A new headless browser with an empty profile; skips or fails the test when there is none. */
    public static ChromeDriver start() throws Exception {
        return start(options -> { });
    }

    /** As {@link #start()}, with more options, e.g. logging preferences. */
    public static ChromeDriver start(Consumer<ChromeOptions> more) throws Exception {
        if (!BROWSER.canExecute() || !DRIVER.canExecute()) {
            String message = "Chromium browser tests need " + BROWSER + " and " + DRIVER
                    + " (Debian: apt-get install chromium chromium-driver)";
            if (System.getenv("PARLEY_REQUIRE_BROWSER") != null) {
                fail(message + "; PARLEY_REQUIRE_BROWSER is set, so they may not be skipped");
            }
            Assumptions.abort(message + "; skipping");
        }
        Path profile = Files.createTempDirectory("parley-chromium");
        ChromeOptions options = new ChromeOptions();
        options.setBinary(BROWSER);
        options.addArguments("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                "--disable-quic", "--no-first-run", "--disable-background-networking", "--disable-component-update",
                "--disable-sync", "--autoplay-policy=no-user-gesture-required", "--window-size=1280,900",
                "--user-data-dir=" + profile);
        more.accept(options);
        ChromeDriverService service = new ChromeDriverService.Builder().usingDriverExecutable(DRIVER)
                .usingAnyFreePort().build();
        ChromeDriver driver = new ChromeDriver(service, options);
        driver.manage().timeouts().scriptTimeout(Eventually.DEADLINE);
        return driver;
    }
}
