package io.ccdstream.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

class MiniClipCommandsTest {

    @Test
    void shouldPrintTheReportOfTheBundledModel() {
        ByteArrayOutputStream out = new ByteArrayOutputStream();

        int exit = new CommandLine(new ReportMiniClip(new PrintStream(out, true, StandardCharsets.UTF_8)))
                .execute("--images", "40", "--seed", "7");

        String text = out.toString(StandardCharsets.UTF_8);
        assertThat(exit).isZero();
        assertThat(text)
                .contains("model mini-clip, held-out SynthScenes seed 7, 40 images")
                .contains("zero-shot mAP")
                .contains("view dependence")
                .contains("class bias")
                .contains("honeycomb");
    }

    @Test
    void shouldRequireAnOutputDirectoryToTrain() {
        StringWriter err = new StringWriter();
        CommandLine command = new CommandLine(new TrainMiniClip(System.out)).setErr(new PrintWriter(err));

        int exit = command.execute("--seed", "2");

        assertThat(exit).isEqualTo(2);
        assertThat(err.toString()).contains("--out");
    }
}
