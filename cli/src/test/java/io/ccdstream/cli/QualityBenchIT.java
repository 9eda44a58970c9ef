package io.ccdstream.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code ccd bench quality --quick}: every configuration runs through the real pipeline and the
 * report has the table's shape with every figure a real number in range. The figures themselves
 * (24 images) are not asserted.
 */
class QualityBenchIT {

    private static final int CLASSES = 20;
    private static final int TRAIN = 24;

    @Test
    void shouldRunEveryConfigurationAndReportFiguresInRange(@TempDir Path dir) throws Exception {
        // When
        CommandRun run = CommandRun.of(
                "bench",
                "quality",
                "--quick",
                "--work-dir",
                dir.resolve("work").toString(),
                "--out",
                dir.resolve("out").toString(),
                "--row-timeout",
                "PT5M");

        // Then
        assertThat(run.exit()).as(run.output()).isZero();
        JsonNode report =
                new ObjectMapper().readTree(dir.resolve("out/quality.json").toFile());
        assertThat(report.get("command").asText())
                .isEqualTo("ccd bench quality --quick --work-dir " + dir.resolve("work") + " --out "
                        + dir.resolve("out") + " --row-timeout PT5M");
        assertThat(report.get("machine").get("cores").asInt()).isPositive();
        assertThat(report.get("classNames")).hasSize(CLASSES);
        assertThat(report.get("world").asText()).isEqualTo("small-objects");
        assertThat(report.get("trainImages").asInt()).isEqualTo(TRAIN);
        assertThat(report.get("labelling").asText())
                .startsWith("crop selection calibrated to 3.0-5.0 classes per image over the last 256 images")
                .contains("(RANK)")
                .contains("bias window = the 24 training images");
        assertThat(report.get("seconds").asDouble()).isPositive();
        List<JsonNode> rows = new ArrayList<>();
        report.get("rows").forEach(rows::add);
        assertThat(rows)
                .extracting(r -> r.get("id").asText())
                .containsExactly(
                        "global",
                        "update",
                        "update-debias",
                        "update-consistency",
                        "ccd",
                        "grid",
                        "assume-negative",
                        "label-smoothing");
        for (JsonNode row : rows) {
            String id = row.get("id").asText();
            assertThat(row.get("labelled").asInt()).as(id).isEqualTo(TRAIN);
            assertThat(row.get("deadLetters").asInt()).as(id).isZero();
            for (String map : List.of("initialLabelMap", "trainLabelMap", "heldOutMap", "trainerTrainMap")) {
                assertInRange(row.get(map).asDouble(), 0, 100, id + " " + map);
            }
            for (String perClass : List.of("trainLabelAp", "heldOutAp")) {
                assertThat(row.get(perClass)).as(id + " " + perClass).hasSize(CLASSES);
                row.get(perClass).forEach(ap -> assertInRange(ap.asDouble(), 0, 1, id + " " + perClass));
            }
            assertThat(row.get("epochs").asInt()).as(id).isBetween(1, 2);
            assertThat(row.get("checkpointVersion").asLong())
                    .as(id + ": the refinement follows the warm-up")
                    .isGreaterThanOrEqualTo(2);
            assertThat(row.get("bias"))
                    .as(id + ": the bias service runs in every row")
                    .hasSize(CLASSES);
            row.get("bias").forEach(b -> assertInRange(b.asDouble(), 1e-6, 1, id + " bias"));
            assertThat(row.get("seconds").asDouble()).as(id).isPositive();
            JsonNode cam = row.get("camLocalisation");
            if (row.get("localViews").asText().equals("CAM")) {
                assertThat(cam.get("images").asInt()).as(id).isEqualTo(TRAIN);
                if (cam.get("crops").asInt() > 0) {
                    for (String share : List.of("presentShare", "overlapShare", "centreShare", "meanBestIou")) {
                        assertInRange(cam.get(share).asDouble(), 0, 1, id + " " + share);
                    }
                    assertThat(cam.get("overlapShare").asDouble())
                            .as(id + ": a crop overlapping a box of its class has its class present")
                            .isLessThanOrEqualTo(cam.get("presentShare").asDouble());
                }
            } else {
                assertThat(cam.isNull()).as(id + ": no CAM crops").isTrue();
            }
        }
        assertThat(row(rows, "global").get("clipInferencesPerImage").asDouble()).isEqualTo(1.0);
        assertThat(row(rows, "grid").get("clipInferencesPerImage").asDouble()).isEqualTo(10.0);
        for (String baseline : List.of("assume-negative", "label-smoothing")) {
            assertThat(row(rows, baseline).get("clipInferencesPerImage").asDouble())
                    .as(baseline)
                    .isEqualTo(1.0);
            assertThat(row(rows, baseline).get("labelUpdate").asBoolean())
                    .as(baseline)
                    .isFalse();
        }
        for (String cam : List.of("update", "update-debias", "update-consistency", "ccd")) {
            assertInRange(row(rows, cam).get("clipInferencesPerImage").asDouble(), 1, 1 + CLASSES, cam);
            assertThat(row(rows, cam).get("labelUpdate").asBoolean()).isTrue();
        }
        assertThat(rows)
                .filteredOn(r -> r.get("debias").asBoolean())
                .extracting(r -> r.get("id").asText())
                .containsExactly("update-debias", "ccd");
        assertThat(rows)
                .filteredOn(r -> r.get("beta").asDouble() > 0)
                .extracting(r -> r.get("id").asText())
                .containsExactly("update-consistency", "ccd");

        String markdown = Files.readString(dir.resolve("out/quality.md"));
        List<String[]> table = markdown.lines()
                .filter(l -> l.startsWith("| ")
                        && l.contains("|")
                        && !l.startsWith("| configuration")
                        && !l.startsWith("| class"))
                .limit(8)
                .map(QualityBenchIT::cells)
                .toList();
        assertThat(table)
                .extracting(cells -> cells[0])
                .containsExactly(
                        "global labels only",
                        "+ label update",
                        "+ label update + debias",
                        "+ label update + consistency",
                        "all three (CCD)",
                        "CDUL 3x3 grid",
                        "assume negative (global labels binarised)",
                        "label smoothing (global labels binarised, smoothed)");
        for (String[] cells : table) {
            assertInRange(Double.parseDouble(cells[5]), 0, 100, cells[0] + " train-label mAP");
            assertInRange(Double.parseDouble(cells[6]), 0, 100, cells[0] + " held-out mAP");
        }
        assertThat(run.output()).contains("Running time:").contains("| tomato |");
    }

    @Test
    void shouldRunOnAVocLayoutDatasetWithItsClassNames(@TempDir Path dir) throws Exception {
        // Given: the VOC 2012 fixture of the dataset loaders (3 train, 2 val images)
        Path root = Path.of("..", "data", "src", "test", "resources", "datasets", "VOCdevkit");
        assertThat(root.resolve("VOC2012")).isDirectory();

        // When
        CommandRun run = CommandRun.of(
                "bench",
                "quality",
                "--dataset",
                "voc2012",
                "--root",
                root.toString(),
                "--rows",
                "ccd,grid",
                "--classifier-input",
                "32",
                "--config",
                "ccd.trainer.refine.max.epochs=1",
                "--work-dir",
                dir.resolve("work").toString(),
                "--out",
                dir.resolve("out").toString(),
                "--row-timeout",
                "PT3M");

        // Then
        assertThat(run.exit()).as(run.output()).isZero();
        JsonNode report =
                new ObjectMapper().readTree(dir.resolve("out/quality.json").toFile());
        assertThat(report.get("images").asText()).startsWith("voc2012 (train / val)");
        assertThat(report.get("classNames").get(0).asText()).isEqualTo("aeroplane");
        assertThat(report.get("classNames")).hasSize(20);
        assertThat(report.get("trainImages").asInt()).isEqualTo(3);
        assertThat(report.get("heldOutImages").asInt()).isEqualTo(2);
        assertThat(report.get("rows")).hasSize(2).allSatisfy(row -> {
            assertThat(row.get("labelled").asInt()).isEqualTo(3);
            assertInRange(row.get("heldOutMap").asDouble(), 0, 100, "held-out mAP");
        });
    }

    @Test
    void shouldRefuseADatasetWithoutItsRootAndAnUnknownConfiguration(@TempDir Path dir) {
        CommandRun noRoot = CommandRun.of(
                "bench",
                "quality",
                "--dataset",
                "voc2012",
                "--work-dir",
                dir.resolve("a").toString(),
                "--out",
                dir.resolve("out").toString());
        assertThat(noRoot.exit()).isNotZero();
        assertThat(noRoot.output()).contains("--root");

        CommandRun unknown = CommandRun.of(
                "bench",
                "quality",
                "--rows",
                "ccd,nonsense",
                "--work-dir",
                dir.resolve("b").toString(),
                "--out",
                dir.resolve("out").toString());
        assertThat(unknown.exit()).isNotZero();
        assertThat(unknown.output())
                .contains("unknown configuration 'nonsense'")
                .contains("update-debias");
    }

    private static JsonNode row(List<JsonNode> rows, String id) {
        return rows.stream()
                .filter(r -> r.get("id").asText().equals(id))
                .findFirst()
                .orElseThrow();
    }

    private static void assertInRange(double value, double low, double high, String what) {
        assertThat(Double.isFinite(value) && value >= low && value <= high)
                .as(what + " = " + value)
                .isTrue();
    }

    private static String[] cells(String line) {
        return Arrays.stream(line.substring(1, line.length() - 1).split("\\|"))
                .map(String::strip)
                .toArray(String[]::new);
    }
}
