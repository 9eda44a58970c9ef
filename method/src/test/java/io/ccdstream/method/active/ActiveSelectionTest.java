package io.ccdstream.method.active;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class ActiveSelectionTest {

    private static final long[] EVEN = {10, 10, 10};

    @Test
    void shouldRankALabelAtTheThresholdAboveAConfidentOne() {
        ActiveSelection selection = new ActiveSelection(SelectionStrategy.UNCERTAINTY, 0);
        float[] undecided = {0.5f, 0.02f, 0.98f};
        float[] confident = {0.97f, 0.02f, 0.01f};

        double u = selection.usefulness("a", undecided, undecided, null, EVEN);
        double c = selection.usefulness("b", confident, confident, null, EVEN);

        // H(0.5) = 1 bit; H(0.02) = 0.1414 bits (two of them here)
        assertThat(u).isCloseTo(1 + 2 * 0.141441, within(1e-5));
        assertThat(c).isLessThan(u);
    }

    @Test
    void shouldWeighRareClassesMoreButCapTheWeight() {
        double[] rarity = ActiveSelection.rarity(new long[] {99, 0, 0, 99});
        // mean of n + 1 = 50.5: sqrt(50.5 / 100) and sqrt(50.5) = 7.1 capped at 4
        assertThat(rarity[0]).isCloseTo(Math.sqrt(0.505), within(1e-9));
        assertThat(rarity[1]).isEqualTo(ActiveSelection.MAX_RARITY);
    }

    @Test
    void shouldRankDisagreementBetweenGlobalAndLocalViews() {
        ActiveSelection selection = new ActiveSelection(SelectionStrategy.DISAGREEMENT, 0);
        float[] scores = {0.6f, 0.2f, 0.2f};

        double agree =
                selection.usefulness("a", scores, new float[] {0.6f, 0.2f, 0.2f}, new float[] {0.6f, 0.2f, 0.2f}, EVEN);
        double disagree =
                selection.usefulness("b", scores, new float[] {0.9f, 0.1f, 0.1f}, new float[] {0.1f, 0.9f, 0.1f}, EVEN);
        double noLocal = selection.usefulness("c", scores, scores, null, EVEN);

        assertThat(disagree - agree).isCloseTo(1.6, within(1e-6));
        assertThat(noLocal).isEqualTo(agree);
    }

    @Test
    void shouldOrderRandomlyButReproducibly() {
        ActiveSelection one = new ActiveSelection(SelectionStrategy.RANDOM, 7);
        ActiveSelection again = new ActiveSelection(SelectionStrategy.RANDOM, 7);
        float[] s = {0.5f, 0.5f, 0.5f};
        List<Double> values = new ArrayList<>();
        for (int i = 0; i < 1000; i++) {
            double v = one.usefulness("img-" + i, s, s, null, EVEN);
            assertThat(v)
                    .isEqualTo(again.usefulness("img-" + i, s, s, null, EVEN))
                    .isBetween(0.0, 1.0);
            values.add(v);
        }
        double mean = values.stream().mapToDouble(Double::doubleValue).average().orElseThrow();
        assertThat(mean).isCloseTo(0.5, within(0.05));
        assertThat(new ActiveSelection(SelectionStrategy.RANDOM, 8).usefulness("img-0", s, s, null, EVEN))
                .isNotEqualTo(values.get(0));
    }

    @Test
    void shouldRefuseAnUnknownStrategyByName() {
        assertThat(SelectionStrategy.of(" Disagreement")).isEqualTo(SelectionStrategy.DISAGREEMENT);
        assertThatThrownBy(() -> SelectionStrategy.of("entropy"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("uncertainty");
    }
}
