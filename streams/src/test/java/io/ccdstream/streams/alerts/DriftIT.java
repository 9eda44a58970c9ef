package io.ccdstream.streams.alerts;

import static org.assertj.core.api.Assertions.assertThat;

import io.ccdstream.data.synth.SynthClass;
import io.ccdstream.data.synth.SynthScenes;
import io.ccdstream.method.image.ImageDecoder;
import io.ccdstream.method.image.RgbImage;
import io.ccdstream.models.BundledModels;
import io.ccdstream.models.clip.ClassSet;
import io.ccdstream.models.clip.ClipModel;
import io.ccdstream.models.scoring.CcdImageScorer;
import io.ccdstream.models.scoring.RefinementSettings;
import io.ccdstream.models.scoring.ScoredImage;
import io.ccdstream.schemas.AlertKind;
import io.ccdstream.streams.bias.BiasSettings;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The drift rules on SynthScenes scored by the bundled mini-CLIP (a real model, no broker): a stream
 * whose class mix flips halfway raises LABEL_DISTRIBUTION within one bias window of the change, and a
 * stable stream raises nothing over five windows after the first.
 */
class DriftIT {

    /** One bias bucket: the bias window is ten of these. */
    private static final int WINDOW = 100;

    private static final BiasSettings BIAS = new BiasSettings(10 * WINDOW, 10, 2 * WINDOW, 2.0);
    private static final DriftSettings SETTINGS = new DriftSettings(WINDOW, 5, 0.25, 0.1, 0.3, 0.05);

    @TempDir
    Path dir;

    @Test
    void shouldAlertWithinOneBiasWindowOfAClassMixChangeAndStayQuietOnAStableStream() throws Exception {
        try (ClipModel clip = ClipModel.load(BundledModels.extract(BundledModels.DEFAULT, dir))) {
            ClassSet classSet = clip.classSet(SynthClass.names());
            CcdImageScorer scorer = new CcdImageScorer(clip, RefinementSettings.DEFAULTS);
            double[] firstHalf = new double[20];
            double[] secondHalf = new double[20];
            for (int c = 0; c < 20; c++) {
                firstHalf[c] = c < 10 ? 1.0 : 0.05;
                secondHalf[c] = c < 10 ? 0.05 : 1.0;
            }
            DriftDetector detector = new DriftDetector(SETTINGS);

            // Given a stable stream: six windows (the first only fills the history)
            DriftDetector.State stable = DriftDetector.State.empty(20, 0);
            List<DriftDetector.Finding> quiet = new ArrayList<>();
            for (float[] global : scores(scorer, classSet, scenes(1, firstHalf), 0, 6 * WINDOW)) {
                DriftDetector.Step step = detector.add(stable, global, 0);
                stable = step.state();
                quiet.addAll(step.findings());
            }
            // Then nothing is raised
            assertThat(stable.windows()).isEqualTo(6);
            assertThat(quiet).isEmpty();

            // When the class mix flips after five windows
            DriftDetector.State drifting = stable;
            long changedAt = drifting.windows();
            List<DriftDetector.Finding> raised = new ArrayList<>();
            int images = 0;
            SynthScenes flipped = scenes(2, secondHalf);
            for (int from = 0; from < BIAS.windowSize() && raised.isEmpty(); from += WINDOW) {
                for (float[] global : scores(scorer, classSet, flipped, from, WINDOW)) {
                    DriftDetector.Step step = detector.add(drifting, global, 0);
                    drifting = step.state();
                    images++;
                    raised.addAll(step.findings());
                }
            }
            // Then LABEL_DISTRIBUTION is raised within one bias window
            System.out.printf("alert after %d images of the new mix: %s%n", images, raised);
            assertThat(raised).extracting(DriftDetector.Finding::kind).contains(AlertKind.LABEL_DISTRIBUTION);
            assertThat(images).isLessThanOrEqualTo(BIAS.windowSize());
            assertThat(raised.get(0).window()).isGreaterThan(changedAt);
        }
    }

    private static SynthScenes scenes(long seed, double[] weights) {
        return SynthScenes.builder()
                .setSeed(seed)
                .optSize(64)
                .optClassWeights(weights)
                .build();
    }

    private static List<float[]> scores(
            CcdImageScorer scorer, ClassSet classSet, SynthScenes scenes, int from, int count) throws Exception {
        List<float[]> out = new ArrayList<>();
        for (int i = from; i < from + count; i += 32) {
            List<RgbImage> batch = new ArrayList<>();
            for (int j = i; j < Math.min(from + count, i + 32); j++) {
                batch.add(ImageDecoder.builder()
                        .build()
                        .decode(scenes.generate(j).png())
                        .image());
            }
            for (ScoredImage s : scorer.scoreGlobal(classSet, batch)) {
                out.add(Arrays.copyOf(s.global(), s.global().length));
            }
        }
        return out;
    }
}
