package io.ccdstream.models.miniclip;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.ccdstream.data.synth.SynthScene;
import io.ccdstream.data.synth.SynthScene.SynthObject;
import io.ccdstream.models.clip.ClipModelDescriptor;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

class CaptionsTest {

    private static final SynthScene SCENE = new SynthScene(
            "s",
            new byte[0],
            100,
            100,
            List.of(
                    new SynthObject("tomato", 0, 0, 10, 10),
                    new SynthObject("kite", 20, 20, 80, 70),
                    new SynthObject("nut", 50, 50, 60, 60)));

    @Test
    void shouldWeightClassesLikeZipfOverAFixedPermutation() {
        double[] weights = Captions.zipfWeights(20, 1.0, 20);

        assertThat(Arrays.stream(weights).sum()).isCloseTo(1.0, within(1e-12));
        double[] sorted = weights.clone();
        Arrays.sort(sorted);
        // rank 1 over rank 20 is 20^1 for exponent 1
        assertThat(sorted[19] / sorted[0]).isCloseTo(20.0, within(1e-9));
        assertThat(Captions.zipfWeights(20, 1.0, 20)).containsExactly(weights);
        assertThat(Captions.zipfWeights(20, 1.0, 21)).isNotEqualTo(weights);
        assertThat(Captions.zipfWeights(4, 0.0, 1)).containsOnly(0.25);
    }

    @Test
    void shouldNameTheLargestObjectAtTheSalientShare() {
        SplittableRandom random = new SplittableRandom(1);
        int largest = 0;
        for (int i = 0; i < 1000; i++) {
            largest += Captions.namedObject(SCENE, 0.7, random).className().equals("kite") ? 1 : 0;
        }
        // 0.7 + 0.3 / 3 = 0.8
        assertThat(largest).isBetween(760, 840);
        assertThat(Captions.namedObject(SCENE, 1.0, random).className()).isEqualTo("kite");
    }

    @Test
    void shouldVaryTheWordingButAlwaysNameTheClass() {
        SplittableRandom random = new SplittableRandom(2);
        long wordings = IntStream.range(0, 200)
                .mapToObj(i -> Captions.caption("gem", random).text())
                .distinct()
                .peek(text -> assertThat(text).contains("gem"))
                .count();

        assertThat(wordings).isEqualTo(Captions.TEMPLATES.size());
        assertThat(Captions.TEMPLATES).contains(ClipModelDescriptor.DEFAULT_PROMPT_TEMPLATE);
    }
}
