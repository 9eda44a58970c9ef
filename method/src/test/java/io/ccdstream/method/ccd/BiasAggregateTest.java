package io.ccdstream.method.ccd;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.util.Arrays;
import org.junit.jupiter.api.Test;

class BiasAggregateTest {

    private static final double THRESHOLD = BiasAggregate.DEFAULT_ENTROPY_THRESHOLD;

    @Test
    void shouldSumAndCountTheTopOneProbabilityOfConfidentImages() {
        // entropies (nats): [0.7,0.2,0.1] 0.802, [0.6,0.3,0.1] 0.898, [0.1,0.8,0.1] 0.639, all <= 2.0
        // top-1: class 0 gets 0.7 and 0.6, class 1 gets 0.8, class 2 nothing
        BiasAggregate aggregate = BiasAggregate.empty(3)
                .add(new float[] {0.7f, 0.2f, 0.1f}, THRESHOLD)
                .add(new float[] {0.6f, 0.3f, 0.1f}, THRESHOLD)
                .add(new float[] {0.1f, 0.8f, 0.1f}, THRESHOLD);

        assertThat(aggregate.topOneCount()).containsExactly(2, 1, 0);
        assertThat(aggregate.samples()).isEqualTo(3);
        // bias = [(0.7 + 0.6) / 2, 0.8 / 1, 1 (never top-1)] = [0.65, 0.8, 1]
        float[] bias = aggregate.bias();
        assertThat(bias[0]).isCloseTo(0.65f, within(1e-6f));
        assertThat(bias[1]).isCloseTo(0.8f, within(1e-6f));
        assertThat(bias[2]).isEqualTo(1f);
    }

    @Test
    void shouldSkipImagesAboveTheEntropyThreshold() {
        // uniform over 20 classes: H = ln 20 = 2.996 > 2.0 (released script) -> skipped
        float[] uniform = new float[20];
        Arrays.fill(uniform, 0.05f);
        // [0.7,0.2,0.1]: H = 0.802 > 0.5 (paper) -> skipped;
        // [0.9,0.05,0.05]: H = 0.9*0.1054 + 2*0.05*2.9957 = 0.0948 + 0.2996 = 0.3944 <= 0.5 -> kept
        BiasAggregate paper = BiasAggregate.empty(3)
                .add(new float[] {0.7f, 0.2f, 0.1f}, BiasAggregate.PAPER_ENTROPY_THRESHOLD)
                .add(new float[] {0.9f, 0.05f, 0.05f}, BiasAggregate.PAPER_ENTROPY_THRESHOLD);

        assertThat(BiasAggregate.empty(20).add(uniform, THRESHOLD).accepted()).isZero();
        assertThat(paper.topOneCount()).containsExactly(1, 0, 0);
        assertThat(paper.samples()).isEqualTo(2);
        assertThat(paper.bias()[0]).isCloseTo(0.9f, within(1e-6f));
    }

    @Test
    void shouldGiveBiasOneToEveryClassOfAnEmptyAggregate() {
        assertThat(BiasAggregate.empty(4).bias()).containsExactly(1f, 1f, 1f, 1f);
    }

    @Test
    void shouldMergeAssociativelyAndCommutativelyToTheSequentialFold() {
        // binary fractions, so that every sum is exact whatever the order
        float[][] images = {
            {0.75f, 0.125f, 0.125f},
            {0.5f, 0.25f, 0.25f},
            {0.125f, 0.625f, 0.25f},
            {0.875f, 0.0625f, 0.0625f},
            {0.25f, 0.25f, 0.5f}
        };
        BiasAggregate a = fold(BiasAggregate.empty(3), images[0], images[1]);
        BiasAggregate b = fold(BiasAggregate.empty(3), images[2]);
        BiasAggregate c = fold(BiasAggregate.empty(3), images[3], images[4]);

        BiasAggregate sequential = fold(BiasAggregate.empty(3), images);
        assertThat(a.merge(b).merge(c)).isEqualTo(sequential);
        assertThat(a.merge(b.merge(c))).isEqualTo(sequential);
        assertThat(c.merge(a).merge(b)).isEqualTo(sequential);
        assertThat(a.merge(BiasAggregate.empty(3))).isEqualTo(a);
        assertThat(sequential.samples()).isEqualTo(5);
    }

    @Test
    void shouldRoundTripThroughPlainArraysAndStayImmutable() {
        BiasAggregate aggregate = BiasAggregate.empty(2).add(new float[] {0.9f, 0.1f}, THRESHOLD);
        double[] sums = aggregate.topOneSum();
        long[] counts = aggregate.topOneCount();

        BiasAggregate restored = new BiasAggregate(sums, counts, aggregate.samples());
        sums[0] = 42;
        counts[0] = 42;

        assertThat(restored).isEqualTo(aggregate).hasSameHashCodeAs(aggregate);
        assertThat(aggregate.topOneSum()[0]).isCloseTo(0.9, within(1e-7));
        assertThat(restored.topOneCount()[0]).isEqualTo(1);
    }

    @Test
    void shouldFeedDebiasWithABiasComputedFromRawProbabilities() {
        // bias from raw p: class 0 -> 0.5 (one image, p_0 = 0.5, H = 2*0.5*ln 2 = 0.693), class 1 -> 1
        float[] bias =
                BiasAggregate.empty(2).add(new float[] {0.5f, 0.5f}, THRESHOLD).bias();
        // debias with floor 0.05: max(0.01, 0.05)/0.5 = 0.1; 0.3/1 = 0.3
        float[] y = new Debias(0.05f).apply(new float[] {0.01f, 0.3f}, bias);
        assertThat(y[0]).isCloseTo(0.1f, within(1e-6f));
        assertThat(y[1]).isCloseTo(0.3f, within(1e-6f));
    }

    @Test
    void shouldRefuseScoresOrAggregatesOfAnotherClassCount() {
        BiasAggregate aggregate = BiasAggregate.empty(3);
        assertThatThrownBy(() -> aggregate.add(new float[2], THRESHOLD))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("2 classes");
        assertThatThrownBy(() -> aggregate.merge(BiasAggregate.empty(4))).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new BiasAggregate(new double[2], new long[3], 0))
                .isInstanceOf(IllegalArgumentException.class);
    }

    private static BiasAggregate fold(BiasAggregate start, float[]... images) {
        BiasAggregate aggregate = start;
        for (float[] p : images) {
            aggregate = aggregate.add(p, THRESHOLD);
        }
        return aggregate;
    }
}
