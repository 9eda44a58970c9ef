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
    void shouldKeepThePapersValuesInClampMode() {
        // the same hand-computed vector through the explicit CLAMP mode
        float[] y = new Debias(0.05f, FloorMode.CLAMP)
                .apply(new float[] {0.01f, 0.3f, 0.69f}, new float[] {0.5f, 0.6f, 0.3f});
        assertThat(y).containsExactly(debias.apply(new float[] {0.01f, 0.3f, 0.69f}, new float[] {0.5f, 0.6f, 0.3f}));
        assertThat(y[0]).isCloseTo(0.1f, within(1e-6f));
        assertThat(y[2]).isEqualTo(1f);
    }

    @Test
    void shouldTieScoresBelowTheFloorAndAboveTheBiasInClampMode() {
        float[] bias = {0.5f, 0.5f, 0.5f, 0.5f};
        float[] y = debias.apply(new float[] {0.001f, 0.02f, 0.6f, 0.9f}, bias);
        assertThat(y[0]).isEqualTo(y[1]);
        assertThat(y[2]).isEqualTo(y[3]).isEqualTo(1f);
    }

    @Test
    void shouldKeepEveryRawScoresOrderInRankMode() {
        // Given raw scores of one class across images, from far below the floor to far above the bias
        Debias rank = new Debias(0.05f, FloorMode.RANK);
        float[] raw = {0f, 1e-6f, 1e-4f, 0.001f, 0.02f, 0.049f, 0.05f, 0.2f, 0.4f, 0.5f, 0.6f, 0.9f, 0.999f, 1f};
        for (float b : new float[] {0.3f, 0.5f, 0.881f, 1f}) {
            // When each is debiased with the same bias
            float[] y = new float[raw.length];
            for (int i = 0; i < raw.length; i++) {
                y[i] = rank.apply(new float[] {raw[i]}, new float[] {b})[0];
            }
            // Then the debiased values are strictly increasing, in [floor / b, 1)
            for (int i = 1; i < y.length; i++) {
                assertThat(y[i])
                        .as("bias %s, raw %s vs %s", b, raw[i - 1], raw[i])
                        .isGreaterThan(y[i - 1]);
            }
            assertThat(y[0]).isCloseTo(Math.min(0.05f / b, 1f), within(1e-6f));
            assertThat(y[y.length - 1]).isLessThan(1f);
        }
    }

    @Test
    void shouldMatchThePapersValuesBetweenFloorAndKneeInRankMode() {
        // hand-computed: (0.05 + 0.95 * 0.3) / 0.6 = 0.5583; below the knee 0.8 the value is x itself
        float[] y = new Debias(0.05f, FloorMode.RANK).apply(new float[] {0.3f}, new float[] {0.6f});
        assertThat(y[0]).isCloseTo(0.55833f, within(1e-5f));
    }

    @Test
    void shouldBendSmoothlyTowardsOneAboveTheKneeInRankMode() {
        // x = (0.05 + 0.95 * 0.69) / 0.3 = 2.35167; y = 1 - 0.2^2 / (2.35167 - 0.8 + 0.2) = 0.977165
        float[] y = new Debias(0.05f, FloorMode.RANK).apply(new float[] {0.69f}, new float[] {0.3f});
        assertThat(y[0]).isCloseTo(0.977165f, within(1e-6f)).isLessThan(1f);
        // a score that reaches one half under the paper's rule stays at or above one half
        float[] half = new Debias(0.05f, FloorMode.RANK).apply(new float[] {0.5f}, new float[] {0.9f});
        assertThat(half[0]).isGreaterThanOrEqualTo(0.5f);
    }

    @Test
    void shouldRefuseAFloorOutsideTheUnitInterval() {
        assertThatThrownBy(() -> new Debias(1f)).isInstanceOf(IllegalArgumentException.class);
    }
}
