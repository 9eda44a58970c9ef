package io.ccdstream.method.ccd;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;

class LocalLabelTest {

    @Test
    void shouldTakeThePerClassMaximumOverCrops() {
        // max(0.1, 0.7, 0.2) = 0.7; max(0.8, 0.2, 0.1) = 0.8; max(0.1, 0.1, 0.7) = 0.7
        List<float[]> crops =
                List.of(new float[] {0.1f, 0.8f, 0.1f}, new float[] {0.7f, 0.2f, 0.1f}, new float[] {0.2f, 0.1f, 0.7f});
        assertThat(LocalLabel.maxOver(crops, 3)).containsExactly(0.7f, 0.8f, 0.7f);
    }

    @Test
    void shouldGiveZerosWithoutCrops() {
        assertThat(LocalLabel.maxOver(List.of(), 4)).containsExactly(0f, 0f, 0f, 0f);
    }

    @Test
    void shouldRefuseACropOfAnotherClassCount() {
        assertThatThrownBy(() -> LocalLabel.maxOver(List.of(new float[2]), 3))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
