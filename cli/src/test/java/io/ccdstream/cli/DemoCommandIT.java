package io.ccdstream.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DemoCommandIT {

    @Test
    void shouldLabelAndRefineEveryImageDeadLetterTheCorruptOnesAndExitZero(@TempDir Path dataDir) {
        CommandRun run = CommandRun.of(
                "demo",
                "--images",
                "6",
                "--corrupt-images",
                "2",
                "--image-size",
                "64",
                "--data-dir",
                dataDir.toString(),
                "--timeout",
                "PT2M");
        String output = run.output();
        int exit = run.exit();

        assertThat(exit).as(output).isZero();
        // the trainer warms up on the 6 images, publishes v1, and the scorer examines every image with
        // it: REFINED where its CAMs chose a crop, the global view's INITIAL label elsewhere
        assertThat(output)
                .contains("Labelled 6 of 6 images (6 final, ")
                .contains("published v1 WARMUP")
                .contains("Dead letters: 2 {IMAGE_UNSUPPORTED_FORMAT=2}")
                .containsPattern("synth-1-000000 +(REFINED|INITIAL) ")
                .containsPattern("Dashboard +http://127\\.0\\.0\\.1:\\d+/ui/");
        assertThat(dataDir.resolve("kafka")).isDirectory();
        // the terminal shows no log line of Kafka's (or any library's): those go to the log file
        assertThat(output.lines().filter(line -> line.matches(".*\\b(WARN|ERROR)\\s++(?!i\\.c\\.).*")))
                .isEmpty();
        assertThat(dataDir.resolve("logs").resolve("ccd.log")).isRegularFile();
    }

    @Test
    void shouldFinishOnGlobalLabelsWithoutLocalViews(@TempDir Path dataDir) {
        CommandRun run = CommandRun.of(
                "demo",
                "--images",
                "4",
                "--corrupt-images",
                "0",
                "--local-views",
                "NONE",
                "--no-debias",
                "--image-size",
                "64",
                "--data-dir",
                dataDir.toString(),
                "--timeout",
                "PT2M");
        String output = run.output();
        int exit = run.exit();

        // no local views: nothing is ever refined, so the demo ends once every image has its global label
        assertThat(exit).as(output).isZero();
        assertThat(output)
                .contains("Labelled 4 of 4 images (0 final, 0 of them refined with local views)")
                .contains("synth-1-000000       INITIAL");
    }
}
