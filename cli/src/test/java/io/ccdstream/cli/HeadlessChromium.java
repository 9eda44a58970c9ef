package io.ccdstream.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import org.openqa.selenium.Dimension;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeOptions;

/** Debian's Chromium, headless, driven by the system's chromedriver (nothing is downloaded), for the browser tests. */
final class HeadlessChromium {

    static final String CHROMIUM = "/usr/bin/chromium";
    static final String CHROMEDRIVER = "/usr/bin/chromedriver";

    private HeadlessChromium() {}

    /** A browser with a window of {@code width} x {@code height}; the caller quits it. */
    static WebDriver start(int width, int height) {
        assertThat(Path.of(CHROMEDRIVER))
                .as("the browser test needs Debian's chromium and chromium-driver (bin/test installs them)")
                .isExecutable();
        System.setProperty("webdriver.chrome.driver", CHROMEDRIVER);
        ChromeOptions options = new ChromeOptions();
        options.setBinary(CHROMIUM);
        options.addArguments("--headless=new", "--no-sandbox", "--disable-dev-shm-usage", "--disable-gpu");
        WebDriver browser = new ChromeDriver(options);
        browser.manage().window().setSize(new Dimension(width, height));
        return browser;
    }

    /** Saves what the browser shows as a PNG. */
    static void screenshot(WebDriver browser, Path file) throws Exception {
        Files.createDirectories(file.getParent());
        Files.write(file, ((ChromeDriver) browser).getScreenshotAs(OutputType.BYTES));
        assertThat(file).isNotEmptyFile();
    }
}
