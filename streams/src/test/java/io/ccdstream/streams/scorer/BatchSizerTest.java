package io.ccdstream.streams.scorer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import java.util.function.IntToLongFunction;
import org.junit.jupiter.api.Test;

class BatchSizerTest {

    private static final long MS = 1_000_000L;

    /** Drives {@code sizer} for {@code calls} calls against a model costing {@code cost(size)} ns; returns the sizes. */
    private static List<Integer> run(BatchSizer sizer, IntToLongFunction cost, int calls) {
        List<Integer> sizes = new ArrayList<>();
        for (int i = 0; i < calls; i++) {
            int size = sizer.next();
            sizes.add(size);
            sizer.observe(size, cost.applyAsLong(size));
        }
        return sizes;
    }

    @Test
    void shouldGrowToTheCeilingWhenLargerCallsAreCheaperPerImage() {
        // a small model: 5 ms per call plus 1 ms per image
        BatchSizer sizer = new BatchSizer(1, 16, 2_000 * MS);

        List<Integer> sizes = run(sizer, n -> 5 * MS + n * MS, 40);

        assertThat(sizes.subList(0, 5)).containsExactly(1, 2, 4, 8, 16);
        assertThat(sizes.subList(5, 30)).containsOnly(16);
    }

    @Test
    void shouldSettleOnTheMostEfficientSizeWhenBiggerIsSlowerPerImage() {
        // cheapest per image at 8: a call of n costs n * (60 + |n - 8| * 5) ms
        BatchSizer sizer = new BatchSizer(1, 32, 10_000 * MS);

        List<Integer> sizes = run(sizer, n -> n * (60 + Math.abs(n - 8) * 5L) * MS, 200);

        assertThat(sizes.subList(100, 200).stream().filter(n -> n == 8).count())
                .as("most calls at the best size, a few neighbours tried")
                .isGreaterThanOrEqualTo(90);
    }

    @Test
    void shouldKeepEveryCallWithinTheBudgetOnceTheCostIsKnown() {
        // 250 ms per image, 2 s per call: 8 images at most
        BatchSizer sizer = new BatchSizer(1, 16, 2_000 * MS);

        List<Integer> sizes = run(sizer, n -> n * 250 * MS, 100);

        assertThat(sizes).allSatisfy(n -> assertThat(n).isLessThanOrEqualTo(8));
        assertThat(sizes.subList(10, 100)).contains(8);
    }

    @Test
    void shouldShrinkAtOnceWhenImagesBecomeMoreExpensive() {
        // Given calls of 16 at 10 ms per image
        BatchSizer sizer = new BatchSizer(1, 16, 1_000 * MS);
        run(sizer, n -> n * 10 * MS, 20);
        assertThat(sizer.next()).isEqualTo(16);

        // When a class set gets its checkpoint and an image now costs 200 ms (its crops)
        sizer.observe(16, 16 * 200 * MS);

        // Then the next call fits the budget: 5 images at most
        assertThat(sizer.next()).isLessThanOrEqualTo(5);
        assertThat(sizer.predictedNanos(4)).isEqualTo(4 * 200.0 * MS);
    }

    @Test
    void shouldAllowTheFloorEvenWhenOneImageExceedsTheBudget() {
        BatchSizer sizer = new BatchSizer(1, 16, 100 * MS);

        List<Integer> sizes = run(sizer, n -> n * 500 * MS, 20);

        assertThat(sizes).containsOnly(1);
    }

    @Test
    void shouldCallAtTheOnlySizeWhenFloorAndCeilingAreEqual() {
        BatchSizer sizer = new BatchSizer(4, 4, MS);

        assertThat(run(sizer, n -> n * 100 * MS, 10)).containsOnly(4);
    }

    @Test
    void shouldRefuseAFloorAboveTheCeiling() {
        assertThatThrownBy(() -> new BatchSizer(8, 4, MS)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new BatchSizer(0, 4, MS)).isInstanceOf(IllegalArgumentException.class);
    }
}
