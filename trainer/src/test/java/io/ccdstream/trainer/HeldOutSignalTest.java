package io.ccdstream.trainer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;

class HeldOutSignalTest {

    // three classes; the third is never the label's choice on these images
    private static final float[][] LABELS = {
        {0.9f, 0.2f, 0.05f},
        {0.3f, 0.8f, 0.05f},
        {0.8f, 0.7f, 0.05f},
        {0.1f, 0.9f, 0.05f},
    };

    @Test
    void shouldScoreAClassifierThatRanksAsTheLabelsDoAt100() {
        HeldOutSignal signal = new HeldOutSignal(HeldOutSignal.PositiveRule.relative(0.5), 1, 4);

        HeldOutSignal.Result result = signal.evaluate(LABELS, LABELS);

        assertThat(result.map()).isEqualTo(100.0);
        assertThat(result.images()).isEqualTo(4);
    }

    @Test
    void shouldLeaveClassesWithoutEnoughPositivesOutOfTheMean() {
        // Given a classifier that gets the first two classes right and the third (no positive) upside down
        float[][] predictions = {
            {0.9f, 0.1f, 0.9f},
            {0.1f, 0.9f, 0.1f},
            {0.8f, 0.7f, 0.8f},
            {0.1f, 0.9f, 0.0f},
        };
        HeldOutSignal signal = new HeldOutSignal(HeldOutSignal.PositiveRule.relative(0.5), 1, 4);

        HeldOutSignal.Result result = signal.evaluate(predictions, LABELS);

        // Then only the two classes with positives count, and the value is theirs (100), not pulled to 67
        assertThat(result.classes()).isEqualTo(2);
        assertThat(result.map()).isEqualTo(100.0);
    }

    @Test
    void shouldRequireTheMinimumPositivesPerClass() {
        // class 0 has 2 positives under relative:0.5 (images 0 and 2), class 1 has 3 (images 1, 2, 3)
        HeldOutSignal signal = new HeldOutSignal(HeldOutSignal.PositiveRule.relative(0.5), 3, 4);

        assertThat(signal.evaluate(LABELS, LABELS).classes()).isEqualTo(1);
    }

    @Test
    void shouldHaveNoValueOnASliceTooSmall() {
        HeldOutSignal signal = new HeldOutSignal(HeldOutSignal.PositiveRule.relative(0.5), 1, 5);

        HeldOutSignal.Result result = signal.evaluate(LABELS, LABELS);

        assertThat(result.present()).isFalse();
        assertThat(result.map()).isNaN();
    }

    @Test
    void shouldHaveNoValueWhenNoClassHasPositives() {
        // the 0.5 cut-off of ALGORITHM.md finds no positive in labels that never reach 0.5
        float[][] low = {{0.3f, 0.2f}, {0.1f, 0.4f}};
        HeldOutSignal signal = new HeldOutSignal(HeldOutSignal.PositiveRule.atLeast(0.5), 1, 1);

        assertThat(signal.evaluate(low, low).present()).isFalse();
    }

    @Test
    void shouldScoreAWrongRankingBelowARightOne() {
        float[][] reversed = {
            {0.1f, 0.9f, 0f},
            {0.9f, 0.1f, 0f},
            {0.2f, 0.3f, 0f},
            {0.9f, 0.2f, 0f},
        };
        HeldOutSignal signal = HeldOutSignal.DEFAULT;
        HeldOutSignal small = new HeldOutSignal(signal.rule(), 1, 1);

        assertThat(small.evaluate(reversed, LABELS).map())
                .isLessThan(small.evaluate(LABELS, LABELS).map());
    }

    @Test
    void shouldPickPositivesByEachRule() {
        float[][] one = {{0.9f, 0.5f, 0.3f}};

        assertThat(HeldOutSignal.PositiveRule.relative(0.5).apply(one)[0]).containsExactly(true, true, false);
        assertThat(HeldOutSignal.PositiveRule.top(1).apply(one)[0]).containsExactly(true, false, false);
        assertThat(HeldOutSignal.PositiveRule.atLeast(0.5).apply(one)[0]).containsExactly(true, true, false);
        float[][] column = {{0.1f}, {0.9f}, {0.5f}, {0.2f}};
        boolean[][] quantile = HeldOutSignal.PositiveRule.quantile(0.25).apply(column);
        assertThat(new boolean[] {quantile[0][0], quantile[1][0], quantile[2][0], quantile[3][0]})
                .containsExactly(false, true, false, false);
    }

    @Test
    void shouldParseTheRuleFromItsText() {
        assertThat(HeldOutSignal.PositiveRule.parse("relative:0.5"))
                .isEqualTo(HeldOutSignal.PositiveRule.relative(0.5));
        assertThat(HeldOutSignal.PositiveRule.parse("top:2")).isEqualTo(HeldOutSignal.PositiveRule.top(2));
        assertThat(((HeldOutSignal.Quantile) HeldOutSignal.PositiveRule.parse("quantile:0.1")).share())
                .isCloseTo(0.1, within(1e-9));
        assertThatThrownBy(() -> HeldOutSignal.PositiveRule.parse("best:3")).hasMessageContaining("relative:R");
        assertThatThrownBy(() -> HeldOutSignal.PositiveRule.parse("relative:x")).hasMessageContaining("relative:R");
    }
}
