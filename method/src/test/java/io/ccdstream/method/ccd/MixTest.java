package io.ccdstream.method.ccd;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;

class MixTest {

    @Test
    void shouldWeighGlobalByAlpha() {
        // hand-computed with alpha 0.4: 0.4*1 + 0.6*0.5 = 0.7; 0.4*0.2 + 0.6*0 = 0.08
        float[] mixed = new Mix(0.4f).apply(new float[] {1f, 0.2f}, new float[] {0.5f, 0f});
        assertThat(mixed[0]).isCloseTo(0.7f, within(1e-6f));
        assertThat(mixed[1]).isCloseTo(0.08f, within(1e-6f));
    }

    @Test
    void shouldKeepGlobalScoresWhenThereAreNoLocalOnes() {
        float[] global = {0.3f, 0.9f};
        assertThat(new Mix(0.4f).apply(global, null))
                .containsExactly(0.3f, 0.9f)
                .isNotSameAs(global);
    }
}
