package io.ccdstream.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
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
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.interactions.Actions;

/**
 * A person reviews images on the dashboard's review page in Debian's Chromium (headless, the system's
 * chromedriver): {@code ccd demo} labels a dozen SynthScenes images, the page shows the most useful one with
 * the pipeline's suggestion, the person toggles a class with its key and accepts with Enter; the verdicts
 * become the image's VERIFIED label in the labeler (REST query API), the queue's figures count the answer,
 * and {@code s} skips the next image. Saves {@code target/review.png}.
 */
class ReviewPageIT {

    private static final int IMAGES = 12;
    private static final Pattern DASHBOARD = Pattern.compile("Dashboard +(http://\\S+)");

    private final HttpClient http =
            HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
    private final ObjectMapper json = new ObjectMapper();

    @Test
    void shouldTurnAPersonsKeyboardAnswersIntoVerifiedLabels(@TempDir Path dataDir) throws Exception {
        ByteArrayOutputStream captured = new ByteArrayOutputStream();
        PrintStream out = System.out;
        PrintStream err = System.err;
        AtomicInteger exit = new AtomicInteger(-1);
        int port = freePort();
        Thread demo = new Thread(() -> exit.set(Ccd.commandLine()
                .execute(
                        "demo",
                        "--images",
                        Integer.toString(IMAGES),
                        "--corrupt-images",
                        "0",
                        "--no-trainer",
                        "--data-dir",
                        dataDir.toString(),
                        "--query-port",
                        Integer.toString(port),
                        "--timeout",
                        "PT2M",
                        "--stay")));
        System.setOut(new PrintStream(captured, true, StandardCharsets.UTF_8));
        System.setErr(new PrintStream(captured, true, StandardCharsets.UTF_8));
        try {
            demo.start();
            // Given a demo run that labelled every image and keeps its dashboard up
            await().atMost(Duration.ofMinutes(3))
                    .pollInterval(Duration.ofMillis(500))
                    .until(() -> !demo.isAlive() || text(captured).contains("The dashboard stays up"));
            String output = text(captured);
            assertThat(output).as(output).contains("Labelled " + IMAGES + " of " + IMAGES + " images");
            Matcher url = DASHBOARD.matcher(output);
            assertThat(url.find()).as(output).isTrue();
            URI base = URI.create(url.group(1)).resolve("/");
            String classSet = json.readTree(get(base.resolve("/api/summary")))
                    .get("classSetId")
                    .asText();

            WebDriver browser = HeadlessChromium.start(1280, 900);
            try {
                // When a person opens the review page, names themself, toggles the first class and accepts
                browser.get(base.resolve("/ui/review.html").toString());
                await().atMost(Duration.ofSeconds(30))
                        .until(() -> !imageId(browser).isEmpty());
                assertThat(number(browser, "queued")).isPositive();
                browser.findElement(By.id("reviewer")).sendKeys("ann");
                browser.findElement(By.tagName("h2")).click();
                String reviewed = imageId(browser);
                List<WebElement> choices = browser.findElements(By.cssSelector("#classes button.choice"));
                assertThat(choices).hasSize(20);
                await().atMost(Duration.ofSeconds(10)).until(() -> (Boolean) ((JavascriptExecutor) browser)
                        .executeScript("const i = document.querySelector('#frame img');"
                                + " return i !== null && i.complete && i.naturalWidth > 0;"));
                Set<String> present = new HashSet<>();
                List<String> names = new ArrayList<>();
                for (WebElement choice : choices) {
                    names.add(choice.getDomAttribute("data-class"));
                    if ("true".equals(choice.getDomAttribute("aria-pressed"))) {
                        present.add(choice.getDomAttribute("data-class"));
                    }
                }
                assertThat(present).as("the pipeline's suggestion starts on").isNotEmpty();
                String first = names.get(0);
                if (!present.remove(first)) {
                    present.add(first);
                }
                new Actions(browser).sendKeys("1").perform();
                assertThat(browser.findElement(By.cssSelector("#classes button[data-class='" + first + "']"))
                                .getDomAttribute("aria-pressed"))
                        .isEqualTo(String.valueOf(present.contains(first)));
                HeadlessChromium.screenshot(browser, Path.of("target", "review.png"));
                new Actions(browser).sendKeys("\n").perform();
                await().atMost(Duration.ofSeconds(15))
                        .until(() ->
                                browser.findElement(By.id("status")).getText().startsWith("Reviewed " + reviewed));

                // Then the labeler made the verdicts the image's VERIFIED label
                await().atMost(Duration.ofSeconds(30)).ignoreExceptions().untilAsserted(() -> {
                    JsonNode label = json.readTree(get(base.resolve("/labels/" + classSet + "/" + reviewed)));
                    assertThat(label.get("stage").asText()).isEqualTo("VERIFIED");
                    assertThat(label.get("reviewedBy").asText()).isEqualTo("ann");
                    for (int c = 0; c < names.size(); c++) {
                        assertThat(label.get("scores").get(c).asDouble())
                                .as(names.get(c))
                                .isEqualTo(present.contains(names.get(c)) ? 1.0 : 0.0);
                    }
                });
                // the queue counts the answer, and shows another image
                await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
                    assertThat(number(browser, "answered")).isEqualTo(1);
                    assertThat(imageId(browser)).isNotEmpty().isNotEqualTo(reviewed);
                });
                JsonNode stats = json.readTree(get(base.resolve("/api/review/stats")));
                assertThat(number(browser, "queued"))
                        .isEqualTo(stats.get("queued").asDouble());

                // and "s" skips an image without a review
                String skipped = imageId(browser);
                new Actions(browser).sendKeys("s").perform();
                await().atMost(Duration.ofSeconds(10))
                        .until(() ->
                                browser.findElement(By.id("status")).getText().equals("Skipped " + skipped));
                await().atMost(Duration.ofSeconds(5)).until(() -> number(browser, "skipped") == 1);
                JsonNode label = json.readTree(get(base.resolve("/labels/" + classSet + "/" + skipped)));
                assertThat(label.get("stage").asText()).isNotEqualTo("VERIFIED");
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

    private static String imageId(WebDriver browser) {
        Object id = ((JavascriptExecutor) browser).executeScript("return document.body.dataset.imageId || '';");
        return String.valueOf(id);
    }

    private static double number(WebDriver browser, String id) {
        String text = browser.findElement(By.id(id)).getText();
        return text.isEmpty() || text.equals("–") ? -1 : Double.parseDouble(text);
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
