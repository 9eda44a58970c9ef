package io.ccdstream.method.ccd;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;

class EntropyTest {

    @Test
    void shouldBeLnOfClassCountForAUniformDistribution() {
        // -4 * 0.25 * ln(0.25) = ln 4 = 1.3862944 (the 1e-10 inside the log shifts it by ~4e-10)
        assertThat(Entropy.of(new float[] {0.25f, 0.25f, 0.25f, 0.25f})).isCloseTo(Math.log(4), within(1e-8));
    }

    @Test
    void shouldMatchAHandComputedValue() {
        // 0.7*ln(1/0.7) + 0.2*ln(1/0.2) + 0.1*ln(1/0.1)
        //   = 0.7*0.3566749 + 0.2*1.6094379 + 0.1*2.3025851 = 0.2496725 + 0.3218876 + 0.2302585 = 0.8018186
        assertThat(Entropy.of(new float[] {0.7f, 0.2f, 0.1f})).isCloseTo(0.8018186, within(1e-6));
    }

    @Test
    void shouldBeZeroForAOneHotVectorAndNotNaN() {
        // 1*ln(1 + 1e-10) = 1e-10; the zeros contribute 0 * ln(1e-10) = 0 rather than 0 * -inf = NaN
        assertThat(Entropy.of(new float[] {0f, 1f, 0f})).isCloseTo(0.0, within(1e-9));
    }
}
