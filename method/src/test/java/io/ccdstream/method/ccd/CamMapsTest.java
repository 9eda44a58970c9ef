package io.ccdstream.method.ccd;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;

class CamMapsTest {

    @Test
    void shouldUpsampleLikeTorchBilinearWithoutAlignedCorners() {
        // PyTorch's nn.Upsample documentation example: input [[1, 2], [3, 4]], scale 2,
        // mode='bilinear', align_corners=False. By hand, along one axis (in 2, out 4, scale 0.5):
        // d=0: s=max(0, 0.25-0.5)=0 -> x0; d=1: s=0.25 -> 0.75x0+0.25x1; d=2: s=0.75 -> 0.25x0+0.75x1;
        // d=3: s=1.25 -> x1 (the edge pixel repeats). Rows likewise.
        float[][] out = CamMaps.upsample(new float[][] {{1, 2}, {3, 4}}, 4, 4);

        float[][] expected = {
            {1.00f, 1.25f, 1.75f, 2.00f},
            {1.50f, 1.75f, 2.25f, 2.50f},
            {2.50f, 2.75f, 3.25f, 3.50f},
            {3.00f, 3.25f, 3.75f, 4.00f}
        };
        for (int y = 0; y < 4; y++) {
            assertThat(out[y]).containsExactly(expected[y], within(1e-6f));
        }
    }

    @Test
    void shouldUpsampleByANonIntegerFactor() {
        // in 3, out 5, scale 0.6: s = (d + 0.5) * 0.6 - 0.5 = 0 (clamped), 0.4, 1.0, 1.6, 2.2
        // values from [0, 10, 20]: 0; 0.6*0 + 0.4*10 = 4; 10; 0.4*10 + 0.6*20 = 16; 20 (edge)
        float[][] out = CamMaps.upsample(new float[][] {{0, 10, 20}}, 5, 1);
        assertThat(out[0]).containsExactly(new float[] {0f, 4f, 10f, 16f, 20f}, within(1e-5f));
    }

    @Test
    void shouldKeepAMapOfTheTargetSizeUnchanged() {
        float[][] map = {{0.1f, 0.7f, 0.3f}, {0.9f, 0.2f, 0.5f}};
        float[][] out = CamMaps.upsample(map, 3, 2);
        assertThat(out[0]).containsExactly(map[0]);
        assertThat(out[1]).containsExactly(map[1]);
    }

    @Test
    void shouldMinMaxNormaliseWithEpsilon() {
        // min 2, max 10: (x - 2) / (8 + 1e-5) -> 0, 2/8.00001 = 0.2499997, 4/8.00001 = 0.4999994, 0.9999988
        float[][] out = CamMaps.normalise(new float[][] {{2, 4}, {6, 10}}, 1e-5f);
        assertThat(out[0]).containsExactly(new float[] {0f, 0.2499997f}, within(1e-7f));
        assertThat(out[1]).containsExactly(new float[] {0.4999994f, 0.9999988f}, within(1e-7f));
    }

    @Test
    void shouldNormaliseAConstantMapToZeros() {
        float[][] out = CamMaps.normalise(new float[][] {{3, 3}, {3, 3}}, 1e-5f);
        assertThat(out[0]).containsExactly(0f, 0f);
        assertThat(out[1]).containsExactly(0f, 0f);
    }
}
