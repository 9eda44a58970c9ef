package io.ccdstream.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.List;
import java.util.Random;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ContinuousRoundStudyTest {

    @TempDir
    Path work;

    @Test
    void shouldDrawRareTopClassesMoreOftenWhenClassBalanced() {
        // 90 images whose top class is 0, 10 whose top class is 1
        List<Integer> candidates = IntStream.range(0, 100).boxed().toList();
        java.util.function.IntFunction<float[]> label =
                i -> i < 90 ? new float[] {0.9f, 0.1f} : new float[] {0.1f, 0.9f};

        long rareRandom = ContinuousRoundStudy.sample(candidates, 20, false, label, new Random(1)).stream()
                .filter(i -> i >= 90)
                .count();
        long rareBalanced = ContinuousRoundStudy.sample(candidates, 20, true, label, new Random(1)).stream()
                .filter(i -> i >= 90)
                .count();

        assertThat(rareBalanced).isGreaterThan(rareRandom).isGreaterThanOrEqualTo(4);
        assertThat(ContinuousRoundStudy.sample(candidates, 20, true, label, new Random(1)))
                .hasSize(20)
                .doesNotHaveDuplicates();
    }
}
