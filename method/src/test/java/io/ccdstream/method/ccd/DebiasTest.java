package io.ccdstream.method.ccd;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;

class DebiasTest {

    private final Debias debias = new Debias(0.05f);

    @Test
    void shouldFloorDivideAndClampWithoutRenormalising() {
        // hand-computed: max(0.01,0.05)/0.5 = 0.1; 0.3/0.6 = 0.5; 0.69/0.3 = 2.3 -> clamped to 1
        float[] y = debias.apply(new float[] {0.01f, 0.3f, 0.69f}, new float[] {0.5f, 0.6f, 0.3f});
        assertThat(y[0]).isCloseTo(0.1f, within(1e-6f));
        assertThat(y[1]).isCloseTo(0.5f, within(1e-6f));
        assertThat(y[2]).isEqualTo(1f);
    }

    @Test
    void shouldOnlyFloorWhenNoBiasIsKnown() {
        float[] y = debias.apply(new float[] {0.01f, 0.2f, 0.79f}, null);
        assertThat(y).containsExactly(0.05f, 0.2f, 0.79f);
    }

    @Test
    void shouldRefuseABiasOfAnotherClassCount() {
        assertThatThrownBy(() -> debias.apply(new float[3], new float[2]))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("2 classes");
    }

    @Test
    void shouldRefuseAFloorOutsideTheUnitInterval() {
        assertThatThrownBy(() -> new Debias(1f)).isInstanceOf(IllegalArgumentException.class);
    }
}
