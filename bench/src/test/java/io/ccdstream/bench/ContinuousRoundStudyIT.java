package io.ccdstream.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The continuous-round study end to end on its quick settings: it trains classifiers (about a minute). */
class ContinuousRoundStudyIT {

    @TempDir
    Path work;

    @Test
    void shouldScoreEveryRoundsCheckpointOnTheTestSetAndTheSlice() throws Exception {
        ContinuousRoundStudy.Settings settings = ContinuousRoundStudy.Settings.quick();

        ContinuousRoundStudy.Result result =
                ContinuousRoundStudy.run(settings, work, new PrintStream(new ByteArrayOutputStream()));

        // the base plus one checkpoint per round, each scored on every slice image
        assertThat(result.checkpoints()).hasSize(1 + settings.chunks());
        assertThat(result.checkpoints())
                .allSatisfy(c -> assertThat(c.slicePredictions()).hasNumberOfRows(result.sliceLabels().length));
        assertThat(result.checkpoints()).allSatisfy(c -> assertThat(c.trueMap()).isBetween(0.0, 100.0));
        assertThat(result.sliceLabels().length).isGreaterThan(0).isLessThanOrEqualTo(settings.sliceMax());
        ByteArrayOutputStream report = new ByteArrayOutputStream();
        ContinuousRoundStudy.report(result, new PrintStream(report, true, StandardCharsets.UTF_8));
        assertThat(report.toString(StandardCharsets.UTF_8))
                .contains("| replay x1 |")
                .contains("train-label mAP of the round's own images");
    }
}
