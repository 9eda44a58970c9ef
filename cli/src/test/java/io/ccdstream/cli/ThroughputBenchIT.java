package io.ccdstream.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ThroughputBenchIT {

    private static final int COLUMNS = 10;

    @Test
    void shouldPrintKafkaAndDirectFiguresOfEveryStageAndModeAsPositiveNumbers(@TempDir Path workDir) {
        // Given / When
        CommandRun run = CommandRun.of(
                "bench",
                "throughput",
                "--quick",
                "--image-size",
                "64",
                "--work-dir",
                workDir.toString(),
                "--timeout",
                "PT2M");
        String output = run.output();
        int exit = run.exit();

        // Then: speed is not asserted, only that each figure was measured
        assertThat(exit).as(output).isZero();
        List<String[]> rows = output.lines()
                .filter(line ->
                        line.startsWith("| scorer") || line.startsWith("| labeler") || line.startsWith("| trainer"))
                .map(ThroughputBenchIT::cells)
                .toList();
        assertThat(rows)
                .as(output)
                .extracting(row -> row[0] + " " + row[1] + " " + row[2])
                .containsExactly(
                        "scorer global direct",
                        "scorer global kafka",
                        "scorer CAM direct",
                        "scorer CAM kafka",
                        "labeler global direct",
                        "labeler global kafka",
                        "labeler CAM direct",
                        "labeler CAM kafka",
                        "trainer warm-up (beta 0) direct",
                        "trainer warm-up (beta 0) kafka",
                        "trainer consistency (beta 1) direct",
                        "trainer consistency (beta 1) kafka");
        for (String[] row : rows) {
            assertThat(row).as(output).hasSize(COLUMNS);
            for (int column = 3; column < 8; column++) {
                assertPositiveFinite(row[column], output);
            }
        }
        rows.stream().filter(row -> row[0].equals("scorer")).forEach(row -> assertPositiveFinite(row[8], output));
        rows.stream().filter(row -> row[2].equals("kafka")).forEach(row -> assertPositiveFinite(row[9], output));
        assertThat(output).contains("Trainer kafka rows: the TrainerService fed through topics");
    }

    private static String[] cells(String line) {
        return Arrays.stream(line.substring(1, line.length() - 1).split("\\|"))
                .map(String::strip)
                .toArray(String[]::new);
    }

    private static void assertPositiveFinite(String cell, String output) {
        double value = Double.parseDouble(cell);
        assertThat(Double.isFinite(value) && value > 0)
                .as(cell + " in\n" + output)
                .isTrue();
    }
}
