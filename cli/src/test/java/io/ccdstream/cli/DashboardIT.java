package io.ccdstream.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.ccdstream.testsupport.PrometheusText;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.Keys;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;

/**
 * {@code ccd demo} on a few dozen SynthScenes images, its dashboard opened in Debian's Chromium (headless,
 * driven by the system's chromedriver: nothing is downloaded): once the page has caught up, the figures it
 * shows are those of the REST query API and of {@code /metrics}, the gallery shows the images with their
 * labels, the charts have points, and a search by image id finds an image. Saves a screenshot as
 * {@code target/dashboard.png}.
 */
class DashboardIT {

    private static final int IMAGES = 24;
    private static final int CORRUPT = 2;
    private static final Pattern DASHBOARD = Pattern.compile("Dashboard +(http://\\S+)");

    private final HttpClient http =
            HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
    private final ObjectMapper json = new ObjectMapper();

    @Test
    void shouldShowTheRunsFiguresInTheBrowser(@TempDir Path dataDir) throws Exception {
        ByteArrayOutputStream captured = new ByteArrayOutputStream();
        PrintStream out = System.out;
        PrintStream err = System.err;
        PrintStream both = new PrintStream(captured, true, StandardCharsets.UTF_8);
        AtomicInteger exit = new AtomicInteger(-1);
        int port = freePort();
        Thread demo = new Thread(() -> exit.set(Ccd.commandLine()
                .execute(
                        "demo",
                        "--images",
                        Integer.toString(IMAGES),
                        "--corrupt-images",
                        Integer.toString(CORRUPT),
                        "--data-dir",
                        dataDir.toString(),
                        "--query-port",
                        Integer.toString(port),
                        // a bias after a few images, whatever their entropy
                        "--bias-window",
                        "12",
                        "--bias-buckets",
                        "3",
                        "--bias-min-samples",
                        "4",
                        "--entropy-threshold",
                        "100",
                        "--timeout",
                        "PT2M",
                        "--stay")));
        System.setOut(both);
        System.setErr(both);
        try {
            demo.start();
            // Given a demo run that has labelled every image with a checkpoint and keeps its dashboard up
            await().atMost(Duration.ofMinutes(3))
                    .pollInterval(Duration.ofMillis(500))
                    .until(() -> !demo.isAlive() || text(captured).contains("The dashboard stays up"));
            String output = text(captured);
            assertThat(output).as(output).contains("Labelled " + IMAGES + " of " + IMAGES + " images");
            Matcher url = DASHBOARD.matcher(output);
            assertThat(url.find()).as(output).isTrue();
            URI page = URI.create(url.group(1));
            URI base = page.resolve("/");

            // a laptop's width; tall enough for every panel in one screenshot
            WebDriver browser = HeadlessChromium.start(1440, 2400);
            try {
                // When the page is opened
                browser.get(page.toString());
                // Then, once it has caught up, its figures are those of /metrics and the REST API
                await().atMost(Duration.ofSeconds(45))
                        .pollInterval(Duration.ofMillis(500))
                        .ignoreExceptions()
                        .untilAsserted(() -> assertPageMatches(browser, base));
                assertChartsAndGallery(browser);
                search(browser, "synth-1-000003");
                HeadlessChromium.screenshot(browser, Path.of("target", "dashboard.png"));
            } finally {
                browser.quit();
            }
        } finally {
            demo.interrupt();
            demo.join(Duration.ofSeconds(60).toMillis());
            System.setOut(out);
            System.setErr(err);
        }
        assertThat(exit.get()).as(text(captured)).isZero();
    }

    private void assertPageMatches(WebDriver browser, URI base) throws Exception {
        PrometheusText metrics = PrometheusText.parse(get(base.resolve("/metrics")));
        JsonNode summary = json.readTree(get(base.resolve("/api/summary")));
        String classSet = summary.get("classSetId").asText();

        assertThat(number(browser, "labels-initial")).isEqualTo(sum(metrics, "ccd_labels_total", "stage", "initial"));
        // REFINED counts the images whose CAMs chose a crop; the others keep an INITIAL final label
        assertThat(number(browser, "labels-refined"))
                .isEqualTo(sum(metrics, "ccd_labels_total", "stage", "refined"))
                .isPositive()
                .isLessThanOrEqualTo(IMAGES);
        assertThat(number(browser, "labels-initial")).isGreaterThanOrEqualTo(IMAGES);
        assertThat(number(browser, "images-scored")).isEqualTo(sum(metrics, "ccd_images_scored_total"));
        // every service that refused a record wrote its own dead letter: the page counts the topic's records
        double deadLetters = sum(metrics, "ccd_dead_letters_total", "reason", "IMAGE_UNSUPPORTED_FORMAT");
        assertThat(deadLetters).isGreaterThanOrEqualTo(CORRUPT);
        assertThat(number(browser, "dead-letters-total")).isEqualTo(sum(metrics, "ccd_dead_letters_total"));
        assertThat(browser.findElement(
                                By.cssSelector("#dead-reasons tr[data-reason=IMAGE_UNSUPPORTED_FORMAT] td:last-child"))
                        .getText())
                .isEqualTo(Long.toString((long) deadLetters));
        assertThat(browser.findElements(By.cssSelector("#dead-latest tbody tr")))
                .extracting(WebElement::getText)
                .anySatisfy(row -> assertThat(row).contains("corrupt-1-0", "IMAGE_UNSUPPORTED_FORMAT", "ccd.images-"));

        JsonNode bias = json.readTree(get(base.resolve("/bias/" + classSet)));
        assertThat(number(browser, "bias-version"))
                .isEqualTo(bias.get("version").asDouble())
                .isEqualTo(
                        metrics.value("ccd_bias_version", "class_set", classSet).orElseThrow());
        JsonNode checkpoint = json.readTree(get(base.resolve("/checkpoints/" + classSet)));
        assertThat(number(browser, "checkpoint-version"))
                .isEqualTo(checkpoint.get("version").asDouble())
                .isEqualTo(metrics.value("ccd_checkpoint_version", "class_set", classSet)
                        .orElseThrow())
                .isPositive();
        assertThat(browser.findElements(By.cssSelector("#checkpoints tbody tr"))
                        .get(0)
                        .getText())
                .startsWith(checkpoint.get("version").asText() + " ");
        // SynthScenes carries ground truth: the live mAP of both stages is shown
        assertThat(browser.findElement(By.id("accuracy")).isDisplayed()).isTrue();
        assertThat(Double.parseDouble(browser.findElement(By.id("map-refined")).getText()))
                .isEqualTo(
                        summary.get("accuracy").get("refinedMap").asDouble(),
                        org.assertj.core.data.Offset.offset(0.05));
    }

    private static void assertChartsAndGallery(WebDriver browser) {
        for (String chart : List.of("chart-throughput", "chart-lag", "chart-positives", "chart-bias")) {
            WebElement element = browser.findElement(By.id(chart));
            assertThat(Integer.parseInt(element.getDomAttribute("data-points")))
                    .as(chart)
                    .isPositive();
            assertThat(element.findElements(By.tagName("canvas"))).as(chart).isNotEmpty();
        }
        assertThat(browser.findElements(By.cssSelector("#bias-bars .bar"))).hasSize(20);
        List<WebElement> cards = browser.findElements(By.cssSelector("#gallery figure.card"));
        assertThat(cards).hasSize(12);
        // every shown image has its final label: REFINED with a crop, INITIAL where its CAMs chose none
        assertThat(cards)
                .allSatisfy(
                        card -> assertThat(card.getDomAttribute("data-stage")).isIn("REFINED", "INITIAL"));
        assertThat(cards)
                .anySatisfy(
                        card -> assertThat(card.getDomAttribute("data-stage")).isEqualTo("REFINED"));
        // every image of the gallery is fetched and decoded by the browser
        await().atMost(Duration.ofSeconds(10))
                .untilAsserted(() -> assertThat(((Number) ((JavascriptExecutor) browser)
                                        .executeScript("return [...document.querySelectorAll('#gallery img')]"
                                                + ".filter(i => i.complete && i.naturalWidth > 0).length"))
                                .intValue())
                        .isEqualTo(12));
    }

    private static void search(WebDriver browser, String imageId) {
        WebElement field = browser.findElement(By.id("search-id"));
        field.sendKeys(imageId, Keys.ENTER);
        await().atMost(Duration.ofSeconds(10))
                .until(() -> !browser.findElements(
                                By.cssSelector("#search-result figure[data-image-id='" + imageId + "']"))
                        .isEmpty());
        assertThat(browser.findElement(By.cssSelector("#search-result figcaption"))
                        .getText())
                .contains(imageId, "REFINED", "ground truth");
    }

    private static double number(WebDriver browser, String id) {
        return Double.parseDouble(browser.findElement(By.id(id)).getText());
    }

    private static double sum(PrometheusText metrics, String name, String... labels) {
        return metrics.find(name, labels).stream()
                .mapToDouble(PrometheusText.Sample::value)
                .sum();
    }

    private String get(URI uri) throws Exception {
        HttpResponse<String> response = http.send(
                HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(5)).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).as(uri + ": " + response.body()).isEqualTo(200);
        return response.body();
    }

    private static String text(ByteArrayOutputStream captured) {
        synchronized (captured) {
            return captured.toString(StandardCharsets.UTF_8);
        }
    }

    private static int freePort() throws Exception {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }
}
