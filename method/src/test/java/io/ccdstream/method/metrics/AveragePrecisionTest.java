package io.ccdstream.method.metrics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;

class AveragePrecisionTest {

    @Test
    void shouldSumRecallStepsTimesPrecision() {
        // ranked T F T F: recall 0.5 at precision 1/1, recall 1 at precision 2/3
        // AP = 0.5 * 1 + 0.5 * 2/3 = 0.8333333
        double ap = AveragePrecision.of(new double[] {0.9, 0.8, 0.7, 0.6}, new boolean[] {true, false, true, false});
        assertThat(ap).isCloseTo(5.0 / 6.0, within(1e-12));
    }

    @Test
    void shouldTreatTiedScoresAsOneThreshold() {
        // scores 0.5, 0.5, 0.2 with labels T F T: at t=0.5 both tied images enter together,
        // tp 1 of 2 -> P 0.5, R 0.5; at t=0.2 P 2/3, R 1. AP = 0.5*0.5 + 0.5*2/3 = 0.5833333
        // (ranking the positive first would wrongly give 0.5*1 + 0.5*2/3 = 0.8333)
        double ap = AveragePrecision.of(new double[] {0.5, 0.5, 0.2}, new boolean[] {true, false, true});
        double swapped = AveragePrecision.of(new double[] {0.5, 0.5, 0.2}, new boolean[] {false, true, true});
        assertThat(ap).isCloseTo(7.0 / 12.0, within(1e-12));
        assertThat(swapped).isEqualTo(ap);
    }

    @Test
    void shouldScoreZeroForAClassWithoutPositives() {
        assertThat(AveragePrecision.of(new double[] {0.9, 0.1}, new boolean[] {false, false}))
                .isZero();
    }

    @Test
    void shouldScoreOneForAClassWithOnlyPositives() {
        assertThat(AveragePrecision.of(new float[] {0.9f, 0.1f, 0.1f}, new boolean[] {true, true, true}))
                .isEqualTo(1.0);
    }

    @Test
    void shouldRefuseNaNScoresAndMismatchedLengths() {
        assertThatThrownBy(() -> AveragePrecision.of(new double[] {Double.NaN}, new boolean[] {true}))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("NaN");
        assertThatThrownBy(() -> AveragePrecision.of(new double[] {0.1}, new boolean[] {true, false}))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
