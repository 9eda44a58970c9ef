package io.ccdstream.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.awt.image.BufferedImage;
import java.nio.file.Files;
import java.nio.file.Path;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * One fixed-seed {@code ccd bench continuous --quick} run through the whole pipeline and trainer,
 * shared by the tests: what it reads back from the topics and writes as its report.
 */
class ContinuousBenchIT {

    @TempDir
    static Path dir;

    private static CommandRun run;
    private static JsonNode report;

    @BeforeAll
    static void runQuickBench() throws Exception {
        run = CommandRun.of(
                "bench",
                "continuous",
                "--quick",
                "--seed",
                "1",
                "--out",
                dir.resolve("out").toString(),
                "--work-dir",
                dir.resolve("work").toString());
        Path json = dir.resolve("out").resolve("continuous-small-objects.json");
        report = Files.isRegularFile(json) ? new ObjectMapper().readTree(json.toFile()) : null;
    }

    @Test
    void shouldWriteTheReportWithEverySection() throws Exception {
        assertThat(run.exit()).as(run.output()).isZero();
        assertThat(report).as(run.output()).isNotNull();
        String markdown = Files.readString(dir.resolve("out").resolve("continuous-small-objects.md"));
        assertThat(markdown)
                .contains("## Summary")
                .contains("## Labels by the checkpoint that made them")
                .contains("## By arrival window")
                .contains("## Latest labels by checkpoint")
                .contains("## Re-scoring")
                .contains("## Checkpoints")
                .contains("Spearman rank correlation")
                .contains("## Latency")
                .contains("(continuous-small-objects.png)");
        BufferedImage png = ImageIO.read(
                dir.resolve("out").resolve("continuous-small-objects.png").toFile());
        assertThat(png).isNotNull();
        assertThat(png.getWidth()).isGreaterThan(png.getHeight());
        // every image sent is labelled and scored against its ground truth, several checkpoints appear
        assertThat(report.get("imagesLabelled").asInt())
                .isEqualTo(report.get("imagesSent").asInt())
                .isGreaterThan(100);
        assertThat(report.get("checkpoints").size()).isGreaterThanOrEqualTo(2);
        assertThat(report.get("windows").size()).isEqualTo(10);
        for (JsonNode checkpoint : report.get("checkpoints")) {
            assertThat(checkpoint.get("trueMap").isNumber())
                    .as(checkpoint.toString())
                    .isTrue();
        }
    }

    @Test
    void shouldMoveOlderLabelsToANewerCheckpointOncePerImageAndVersion() {
        assertThat(run.exit()).as(run.output()).isZero();
        JsonNode rescoring = report.get("rescoring");
        // images first labelled with a checkpoint carry, at the end, the label of a newer one
        assertThat(rescoring.get("rescored").asInt()).as(rescoring.toString()).isPositive();
        assertThat(rescoring.get("betterCheckpointRescores").asInt())
                .as(rescoring.toString())
                .isPositive();
        // no image scored twice with the same checkpoint version (ccd.scores, rescore records included)
        assertThat(rescoring.get("duplicates").asInt()).as(rescoring.toString()).isZero();
    }

    @Test
    void shouldLabelArrivingImagesWithinASecondMedian() {
        assertThat(run.exit()).as(run.output()).isZero();
        JsonNode latency = report.get("latency");
        assertThat(latency.get("firstLabelMedian").asDouble())
                .as(latency.toString())
                .isPositive()
                .isLessThan(1.0);
    }
}
