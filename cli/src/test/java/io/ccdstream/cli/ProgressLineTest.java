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
    void shouldRenderRateAndEtaFromTheItemsDone() {
        // 50 of 100 in 4 s: 12.5 img/s, 50 left -> 4 s
        String text =
                Progress.plain("Ingest", "img", 50, 100, Duration.ofSeconds(4), "(38 sent, 10 skipped, 2 failed)");

        assertThat(text).isEqualTo("Ingest 50/100  50%  12.5 img/s  ETA 0:04  (38 sent, 10 skipped, 2 failed)");
    }

    @Test
    void shouldRenderAnUnknownEtaBeforeAnyItemAndHoursForLongRuns() {
        assertThat(Progress.plain("Ingest", "img", 0, 7200, Duration.ofSeconds(1), ""))
                .isEqualTo("Ingest 0/7200   0%  0.0 img/s  ETA --:--");
        assertThat(Progress.plain("Ingest", "img", 1, 7201, Duration.ofSeconds(1), ""))
                .contains("ETA 2:00:00");
        assertThat(Progress.plain("Export", "labels", 30, -1, Duration.ofSeconds(1), ""))
                .isEqualTo("Export 30  30.0 labels/s  ETA --:--");
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
        assertThat(printed).doesNotContain("\r").contains("Ingest 1/2").contains("Ingest 2/2 100%");
        assertThat(printed.lines()).hasSize(2);
    }

    @Test
    void shouldDrawABarRedrawnInPlaceOnATerminal() {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        ProgressLine line = new ProgressLine(new PrintStream(bytes, true, StandardCharsets.UTF_8), true, Duration.ZERO);

        line.progress(new ImageIngest.Counts(4, 1, 0, 0));
        line.progress(new ImageIngest.Counts(4, 4, 0, 0));
        line.finish();

        String printed = bytes.toString(StandardCharsets.UTF_8);
        assertThat(printed).contains("\r").contains("Ingest").contains("4/4").contains("img/s");
        assertThat(printed).contains("(4 sent, 0 skipped, 0 failed)");
    }
}
