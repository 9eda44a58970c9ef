package io.ccdstream.bench;

import static org.assertj.core.api.Assertions.assertThat;

import io.ccdstream.models.clip.ClipModel;
import io.ccdstream.testsupport.TinyClip;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The CLIP facade's native memory over a long run, measured by the models benchmark's soak. */
class ClipBenchmarkTest {

    private static ClipModel clip;

    @BeforeAll
    static void load() throws Exception {
        clip = ClipModel.load(TinyClip.modelDir());
    }

    @AfterAll
    static void close() {
        clip.close();
    }

    @Test
    void shouldNotGrowNativeMemoryOverManyScorings() {
        // the allocator and libtorch's caches settle during the first few thousand calls
        ClipBenchmark bench = new ClipBenchmark(clip, 8, 32);
        List<ClipBenchmark.SoakRound> rounds = bench.soak(12_000, 6);
        ClipBenchmark.SoakRound settled = rounds.get(1);
        ClipBenchmark.SoakRound last = rounds.get(rounds.size() - 1);

        // the array count is the exact check: a single leaked tensor per call fails it
        assertThat(rounds)
                .allSatisfy(
                        r -> assertThat(r.liveArrays()).isEqualTo(rounds.get(0).liveArrays()));
        // the long run: 10,000 scorings after the warm-up round; resident memory outside the
        // Java heap moves by +-25 MiB on its own (allocator arenas), so the bound is loose
        assertThat(last.scorings() - settled.scorings()).isEqualTo(10_000);
        assertThat((last.nativeKiB() - settled.nativeKiB()) / 1024).isLessThan(128);
    }
}
