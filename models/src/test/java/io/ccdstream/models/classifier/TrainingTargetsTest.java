package io.ccdstream.models.classifier;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;

class TrainingTargetsTest {

    @Test
    void shouldKeepTheSoftLabelAsItIs() {
        float[] label = {0.2f, 0.7f, 0.5f};

        assertThat(TrainingTargets.SOFT.of(label, 0.1f)).containsExactly(0.2f, 0.7f, 0.5f);
    }

    @Test
    void shouldMakeTheClassesAtLeastOneHalfThePositivesAndTheRestNegative() {
        assertThat(TrainingTargets.ASSUME_NEGATIVE.of(new float[] {0.2f, 0.7f, 0.5f, 0.49f}, 0.1f))
                .containsExactly(0f, 1f, 1f, 0f);
    }

    @Test
    void shouldMakeTheTopClassPositiveWhenNoneReachesOneHalf() {
        assertThat(TrainingTargets.ASSUME_NEGATIVE.of(new float[] {0.2f, 0.1f, 0.3f}, 0.1f))
                .containsExactly(0f, 0f, 1f);
    }

    @Test
    void shouldSmoothTheBinaryTargetsByEpsilon() {
        float[] smoothed = TrainingTargets.LABEL_SMOOTHING.of(new float[] {0.9f, 0.1f, 0.3f}, 0.1f);

        assertThat(smoothed).containsExactly(new float[] {0.95f, 0.05f, 0.05f}, within(1e-6f));
    }

    @Test
    void shouldRefuseAnEpsilonOutsideZeroOne() {
        assertThatThrownBy(() -> TrainingTargets.LABEL_SMOOTHING.of(new float[] {1f}, 1f))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("epsilon");
        assertThatThrownBy(() -> TrainingTargets.of("negative"))
                .hasMessageContaining("assume-negative, label-smoothing");
    }
}
