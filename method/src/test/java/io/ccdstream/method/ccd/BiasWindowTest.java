package io.ccdstream.method.ccd;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;

class BiasWindowTest {

    private static final float[] CAT = {0.9f, 0.1f};
    private static final float[] DOG = {0.2f, 0.8f};

    @Test
    void shouldCoverOnlyTheMostRecentBuckets() {
        // window of 4 images in 2 buckets of 2: after 8 images the first 4 have fallen out
        BiasWindow window = BiasWindow.empty(2, 4, 2);
        for (float[] p : new float[][] {CAT, CAT, CAT, CAT, DOG, DOG, DOG, DOG}) {
            window = window.add(p, 2.0);
        }
        BiasAggregate total = window.total();
        assertThat(total.samples()).isEqualTo(4);
        assertThat(total.topOneCount()).containsExactly(0, 4);
        // bias_dog = (0.8 + 0.8) / 2; cat was never top-1 in the window: 1
        assertThat(total.bias()[1]).isCloseTo(0.8f, within(1e-6f));
        assertThat(total.bias()[0]).isEqualTo(1f);
    }

    @Test
    void shouldSayWhenABucketCompletes() {
        BiasWindow window = BiasWindow.empty(2, 6, 3).add(CAT, 2.0);
        assertThat(window.bucketJustCompleted()).isFalse();
        window = window.add(DOG, 2.0);
        assertThat(window.bucketJustCompleted()).isTrue();
        assertThat(window.add(CAT, 2.0).bucketJustCompleted()).isFalse();
    }

    @Test
    void shouldEqualTheWholeSetAggregateWhileTheWindowIsNotFull() {
        BiasWindow window = BiasWindow.empty(2, 100, 4);
        BiasAggregate whole = BiasAggregate.empty(2);
        for (int i = 0; i < 30; i++) {
            float[] p = i % 3 == 0 ? CAT : DOG;
            window = window.add(p, 2.0);
            whole = whole.add(p, 2.0);
        }
        assertThat(window.total()).isEqualTo(whole);
    }
}
