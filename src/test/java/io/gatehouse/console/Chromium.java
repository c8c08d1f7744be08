package io.gatehouse.console;

import com.microsoft.playwright.Browser;
import com.microsoft.playwright.BrowserType;
import com.microsoft.playwright.Page;
import com.microsoft.playwright.Playwright;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.List;

import static org.junit.jupiter.api.Assertions.fail;

/**
 * Debian's Chromium, headless, driven by Playwright (no browser download; deploy/ci/install-browser-deps.sh
 * installs it). Without Chromium a browser test fails, saying so: it is never skipped quietly. Screenshots
 * go to target/console-screenshots.
 */
public final class Chromium implements AutoCloseable {
    static final Path EXECUTABLE = Paths.get(System.getenv().getOrDefault("GATEHOUSE_CHROMIUM", "/usr/bin/chromium"));
    public static final Path SHOTS = Paths.get("target", "console-screenshots");

    private final Playwright playwright;
    private final Browser browser;

    private Chromium(Playwright playwright, Browser browser) {
        this.playwright = playwright;
        this.browser = browser;
    }

    public static Chromium launch() {
        if (!Files.isExecutable(EXECUTABLE)) {
            fail("Chromium not found at " + EXECUTABLE + ": run deploy/ci/install-browser-deps.sh "
                    + "(apt-get install -y chromium chromium-driver) or set GATEHOUSE_CHROMIUM");
        }
        Playwright playwright = Playwright.create();
        Browser browser = playwright.chromium().launch(new BrowserType.LaunchOptions().setExecutablePath(EXECUTABLE)
                .setHeadless(true).setArgs(List.of("--no-sandbox", "--disable-gpu", "--disable-background-networking",
                        "--disable-component-update", "--disable-sync", "--no-first-run")));
        return new Chromium(playwright, browser);
    }

    /** A fresh browser context (its own cookies) with the console's usual window size. */
    public Page newPage() {
        return browser.newContext(new Browser.NewContextOptions().setViewportSize(1360, 900)).newPage();
    }

    public static void shot(Page page, String name) {
        page.screenshot(new Page.ScreenshotOptions().setPath(SHOTS.resolve(name + ".png")).setFullPage(true));
    }

    @Override
    public void close() {
        browser.close();
        playwright.close();
    }
}
