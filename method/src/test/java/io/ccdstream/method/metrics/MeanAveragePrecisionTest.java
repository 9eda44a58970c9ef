package io.ccdstream.method.metrics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;

class MeanAveragePrecisionTest {

    @Test
    void shouldAverageClassesAndScaleToPercent() {
        // class 0 ranked T F: AP 1. class 1 ranked F (0.8) T (0.2): R 0 at t=0.8, then R 1 at P 1/2 -> 0.5.
        // class 2 has no positive: 0. mAP = (1 + 0.5 + 0) / 3 * 100 = 50
        MeanAveragePrecision result = MeanAveragePrecision.of(
                new float[][] {{0.9f, 0.8f, 0.3f}, {0.1f, 0.2f, 0.4f}},
                new boolean[][] {{true, false, false}, {false, true, false}});
        assertThat(result.perClass()).containsExactly(new double[] {1.0, 0.5, 0.0}, within(1e-12));
        assertThat(result.map()).isCloseTo(50.0, within(1e-9));
    }

    @Test
    void shouldBinarisePseudoLabelsForTheTrainMap() {
        // pseudo-labels [1.0, 0.7] and [0.6, 1.0]; predictions rank image 0 first for both classes.
        // EQUALS_ONE: class 0 positives {0} -> AP 1; class 1 positives {1} -> AP 0.5; mAP 75
        // AT_LEAST_HALF: both images positive in both classes -> AP 1, 1; mAP 100
        float[][] predictions = {{0.9f, 0.8f}, {0.2f, 0.3f}};
        float[][] pseudoLabels = {{1f, 0.7f}, {0.6f, 1f}};
        assertThat(MeanAveragePrecision.trainMap(predictions, pseudoLabels, LabelBinarisation.EQUALS_ONE)
                        .map())
                .isCloseTo(75.0, within(1e-9));
        assertThat(MeanAveragePrecision.trainMap(predictions, pseudoLabels, LabelBinarisation.AT_LEAST_HALF)
                        .map())
                .isCloseTo(100.0, within(1e-9));
    }

    @Test
    void shouldBinariseAtOneOrAtOneHalf() {
        assertThat(LabelBinarisation.EQUALS_ONE.isPositive(1f)).isTrue();
        assertThat(LabelBinarisation.EQUALS_ONE.isPositive(0.999f)).isFalse();
        assertThat(LabelBinarisation.AT_LEAST_HALF.isPositive(0.5f)).isTrue();
        assertThat(LabelBinarisation.AT_LEAST_HALF.isPositive(0.49f)).isFalse();
    }
}
