package io.ccdstream.method.ccd;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.ccdstream.method.ccd.ClassSelection.Calibrated;
import io.ccdstream.method.ccd.ClassSelection.Calibration;
import java.util.Random;
import org.junit.jupiter.api.Test;

class ClassSelectionTest {

    /** Sorted: 0.95 0.9 0.8 0.7 0.6 0.5 | 0.4 0.3 0.2 0.15 0.1 0.05 (twelve distinct scores). */
    private static final float[][] FOUR_IMAGES = {
        {0.9f, 0.1f, 0.2f}, {0.8f, 0.7f, 0.05f}, {0.3f, 0.6f, 0.4f}, {0.95f, 0.5f, 0.15f}
    };

    @Test
    void shouldSelectClassesAtOrAboveTheThreshold() {
        assertThat(ClassSelection.select(new float[] {0.5f, 0.49f, 0.9f}, 0.5f)).containsExactly(0, 2);
    }

    @Test
    void shouldUseThePapersFixedThresholdByDefault() {
        // t = 0.5 selects 0.9 | 0.8, 0.7 | 0.6 | 0.95, 0.5: 1 + 2 + 1 + 2 = 6 over 4 images = 1.5
        Calibration calibration = ClassSelection.paperDefault().resolve(FOUR_IMAGES);
        assertThat(calibration).isEqualTo(new Calibration(0.5f, 1.5, true));
    }

    @Test
    void shouldCalibrateToATargetMeanExactly() {
        // mean 1.5 over 4 images = 6 selected scores; the 6th largest score is 0.5
        Calibration calibration = Calibrated.toMean(1.5).resolve(FOUR_IMAGES);
        assertThat(calibration).isEqualTo(new Calibration(0.5f, 1.5, true));
    }

    @Test
    void shouldLandInTheReleasedScriptsIntervalOnARandomBatch() {
        float[][] scores = randomScores(100, 20, 7);

        Calibration calibration = ClassSelection.releasedScript().resolve(scores);

        // the midpoint 5 is reachable exactly: 500 of the 2000 (distinct) scores
        assertThat(calibration.withinTarget()).isTrue();
        assertThat(calibration.meanCount()).isEqualTo(5.0);
        assertThat(ClassSelection.meanCount(scores, calibration.threshold())).isEqualTo(5.0);
    }

    @Test
    void shouldHitThePapersTenInferencesPerImage() {
        float[][] scores = randomScores(50, 20, 11);
        Calibration calibration = Calibrated.toMean(10).resolve(scores);
        assertThat(ClassSelection.meanCount(scores, calibration.threshold())).isEqualTo(10.0);
    }

    @Test
    void shouldNotDependOnImageOrder() {
        float[][] reversed = {FOUR_IMAGES[3], FOUR_IMAGES[2], FOUR_IMAGES[1], FOUR_IMAGES[0]};
        Calibrated target = new Calibrated(2, 2.6);
        assertThat(target.resolve(reversed)).isEqualTo(target.resolve(FOUR_IMAGES));
    }

    @Test
    void shouldReportATargetThatTiesCannotReach() {
        // every score 0.5: the candidates select 3 per image (t = 0.5) or 0 (t just above 0.5);
        // |0 - 1| < |3 - 1|, so nothing is selected and the target 1 is missed
        Calibration calibration = Calibrated.toMean(1).resolve(new float[][] {{0.5f, 0.5f, 0.5f}, {0.5f, 0.5f, 0.5f}});
        assertThat(calibration.meanCount()).isZero();
        assertThat(calibration.threshold()).isGreaterThan(0.5f);
        assertThat(calibration.withinTarget()).isFalse();
    }

    @Test
    void shouldPreferTheHigherThresholdWhenTwoAreEquallyClose() {
        // one image [0.2, 0.8], target 0.5: t above 0.8 gives 0, t = 0.8 gives 1, both 0.5 away -> fewer
        Calibration calibration = Calibrated.toMean(0.5).resolve(new float[][] {{0.2f, 0.8f}});
        assertThat(calibration.meanCount()).isZero();
        assertThat(calibration.threshold()).isEqualTo(Math.nextUp(0.8f));
    }

    @Test
    void shouldRefuseAnEmptyBatchOrABadTarget() {
        assertThatThrownBy(() -> Calibrated.toMean(5).resolve(new float[0][]))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new Calibrated(6, 4)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new ClassSelection.Fixed(1.5f)).isInstanceOf(IllegalArgumentException.class);
    }

    private static float[][] randomScores(int images, int classes, long seed) {
        Random random = new Random(seed);
        float[][] scores = new float[images][classes];
        for (float[] row : scores) {
            for (int c = 0; c < classes; c++) {
                row[c] = random.nextFloat();
            }
        }
        return scores;
    }
}
