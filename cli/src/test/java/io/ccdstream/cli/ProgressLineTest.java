package io.ccdstream.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.ccdstream.topics.ingest.ImageIngest;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class ProgressLineTest {

    @Test
    void shouldRenderBarRateAndEtaFromTheImagesActuallySent() {
        // 50 of 100 decided in 4 s, 40 of them sent or failed: 10 img/s, 50 left -> 5 s
        String text = ProgressLine.render(new ImageIngest.Counts(100, 38, 10, 2), Duration.ofSeconds(4), true);

        assertThat(text)
                .isEqualTo("[###############...............] 50/100  50%  10.0 img/s  ETA 0:05"
                        + "  (38 sent, 10 skipped, 2 failed)");
    }

    @Test
    void shouldRenderPlainTextWithoutBarAndUnknownEtaBeforeAnySend() {
        assertThat(ProgressLine.render(new ImageIngest.Counts(7200, 0, 0, 0), Duration.ofSeconds(1), false))
                .isEqualTo("0/7200   0%  0.0 img/s  ETA --:--  (0 sent, 0 skipped, 0 failed)");
        assertThat(ProgressLine.render(new ImageIngest.Counts(7201, 1, 0, 0), Duration.ofSeconds(1), false))
                .contains("ETA 2:00:00");
    }

    @Test
    void shouldPrintPlainLinesWithoutCarriageReturnsWhenNotOnATerminal() {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        ProgressLine line =
                new ProgressLine(new PrintStream(bytes, true, StandardCharsets.UTF_8), false, Duration.ZERO);

        line.progress(new ImageIngest.Counts(2, 1, 0, 0));
        line.progress(new ImageIngest.Counts(2, 2, 0, 0));
        line.finish();

        String printed = bytes.toString(StandardCharsets.UTF_8);
        assertThat(printed).doesNotContain("\r").contains("1/2").contains("2/2 100%");
        assertThat(printed.lines()).hasSize(3);
    }
}
