package com.invoicehub.support;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;

/**
 * Headless Debian Chromium through its own chromedriver (given by path, so Selenium Manager never downloads).
 * Where Chromium is not installed the calling test is skipped, saying so; .ci/run installs it.
 */
public final class Browser {

    private static final Path CHROMIUM = Path.of("/usr/bin/chromium");
    private static final Path CHROMEDRIVER = Path.of("/usr/bin/chromedriver");

    private Browser() {
    }

    public static ChromeDriver open() {
        return open(null);
    }

    /**
     * {@code acceptLanguage}: what the browser sends as Accept-Language (e.g. {@code "de-DE,de"}); null for
     * Chromium's own default. Set as the profile's language preference, which headless Chromium honours.
     */
    public static ChromeDriver open(String acceptLanguage) {
        assumeTrue(Files.isExecutable(CHROMIUM) && Files.isExecutable(CHROMEDRIVER),
                "Skipped: headless Chromium is not installed here (apt-get install chromium chromium-driver; "
                        + ".ci/run does)");
        try {
            Path profile = Files.createTempDirectory("chromium-profile-");
            ChromeOptions options = new ChromeOptions();
            options.setBinary(CHROMIUM.toFile());
            options.addArguments("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                    "--disable-background-networking", "--disable-component-update", "--disable-sync",
                    "--disable-quic", "--no-first-run", "--window-size=412,915", // a phone's viewport
                    "--user-data-dir=" + profile);
            if (acceptLanguage != null) {
                options.setExperimentalOption("prefs", Map.of("intl.accept_languages", acceptLanguage));
            }
            ChromeDriverService service = new ChromeDriverService.Builder()
                    .usingDriverExecutable(CHROMEDRIVER.toFile()).usingAnyFreePort().build();
            return new ChromeDriver(service, options);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
