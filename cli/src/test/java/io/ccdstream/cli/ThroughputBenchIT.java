package io.ccdstream.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ThroughputBenchIT {

    private static final int BACKLOG_COLUMNS = 9;

    @Test
    void shouldPrintTheBacklogLatencyAndProfileTablesWithPositiveFigures(@TempDir Path workDir) {
        // Given / When
        CommandRun run = CommandRun.of(
                "bench",
                "throughput",
                "--quick",
                "--no-scaling",
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
                .filter(line -> line.startsWith("| scorer")
                        || line.startsWith("| bias")
                        || line.startsWith("| labeler")
                        || line.startsWith("| trainer"))
                .filter(line -> cells(line).length == BACKLOG_COLUMNS)
                .map(ThroughputBenchIT::cells)
                .toList();
        assertThat(rows)
                .as(output)
                .extracting(row -> row[0] + " " + row[1] + " " + row[2])
                .containsExactly(
                        "scorer global direct (decode + model)",
                        "scorer global direct (model alone)",
                        "scorer global kafka",
                        "scorer CAM direct (decode + model)",
                        "scorer CAM direct (model alone)",
                        "scorer CAM kafka",
                        "bias global direct (window)",
                        "bias global kafka",
                        "labeler global direct",
                        "labeler global kafka",
                        "trainer warm-up (beta 0) direct (trainStep, pre-decoded)",
                        "trainer warm-up (beta 0) kafka",
                        "trainer consistency (beta 1) direct (trainStep, pre-decoded)",
                        "trainer consistency (beta 1) kafka");
        for (String[] row : rows) {
            assertPositiveFinite(row[3], output);
            assertPositiveFinite(row[4], output);
            if (row[2].equals("kafka")) {
                assertPositiveFinite(row[5], output);
                assertPositiveFinite(row[6], output);
            }
        }
        rows.stream().filter(row -> row[0].equals("scorer")).forEach(row -> {
            assertPositiveFinite(row[7], output);
            assertPositiveFinite(row[8], output);
        });
        String latency = output.lines()
                .filter(line -> line.startsWith("| 50% |"))
                .findFirst()
                .orElseThrow(() -> new AssertionError("no latency row in\n" + output));
        for (String cell : Arrays.copyOfRange(cells(latency), 1, 8)) {
            assertPositiveFinite(cell, output);
        }
        assertThat(output).contains("| service (threads) | samples | share |");
        assertThat(output.lines().filter(line -> line.matches("\\| scorer \\(stream thread\\) \\| \\d+ \\|.*")))
                .as(output)
                .hasSize(1);
        assertThat(Files.exists(workDir.resolve("throughput.jfr"))).isTrue();
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
