package io.ccdstream.models.clip;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;

class VectorsTest {

    @Test
    void shouldComputeSoftmaxWithoutOverflowForLargeLogits() {
        // exp(1000) overflows a double; float spacing near 1000 (6e-5) limits the precision
        float[] p = Vectors.softmax(new float[] {1000f, 1000f + (float) Math.log(3), -1000f});

        assertThat(p).containsExactly(new float[] {0.25f, 0.75f, 0f}, within(1e-4f));
    }

    @Test
    void shouldNormaliseToUnitLengthAndLeaveZeroAlone() {
        assertThat(Vectors.l2Normalised(new float[] {3, 4})).containsExactly(0.6f, 0.8f);
        assertThat(Vectors.l2Normalised(new float[] {0, 0})).containsExactly(0f, 0f);
    }

    @Test
    void shouldAverageRows() {
        assertThat(Vectors.mean(new float[][] {{1, 2}, {3, 6}})).containsExactly(2f, 4f);
    }
}
