package io.ccdstream.method.image;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;

class ClipPreprocessorTest {

    private static final int RED = 0xFF0000;
    private static final int GREEN = 0x00FF00;
    private static final int BLUE = 0x0000FF;
    private static final int WHITE = 0xFFFFFF;

    @Test
    void shouldNormaliseIntoChannelRowColumnOrder() {
        // 2x2 image: red, green / blue, white; mean 0.5 and std 0.5 map 0 -> -1 and 255 -> 1
        RgbImage image = RgbImage.of(2, 2, new int[] {RED, GREEN, BLUE, WHITE});
        ClipPreprocessor pre = ClipPreprocessor.builder()
                .setImageSize(2)
                .optMean(new float[] {0.5f, 0.5f, 0.5f})
                .optStd(new float[] {0.5f, 0.5f, 0.5f})
                .build();

        float[] chw = pre.toChw(image);

        assertThat(chw)
                .containsExactly(
                        1, -1, -1, 1, // R plane
                        -1, 1, -1, 1, // G plane
                        -1, -1, 1, 1); // B plane
    }

    @Test
    void shouldApplyOpenAiClipMeanAndStdByDefault() {
        ClipPreprocessor pre = ClipPreprocessor.builder().setImageSize(1).build();

        float[] chw = pre.toChw(RgbImage.filled(1, 1, 0x000000));

        // (0 - 0.48145466) / 0.26862954 etc., OpenAI CLIP's constants
        assertThat(chw[0]).isCloseTo(-1.7922625f, within(1e-6f));
        assertThat(chw[1]).isCloseTo(-1.7520971f, within(1e-6f));
        assertThat(chw[2]).isCloseTo(-1.4802197f, within(1e-6f));
    }

    @Test
    void shouldCutTheCentreSquareOfAWideImageAfterScalingTheShorterSide() {
        // 4x2 with columns A B C D: shorter side already 2, so only the crop acts: B C remain
        int a = 0x101010;
        int b = 0x202020;
        int c = 0x303030;
        int d = 0x404040;
        RgbImage wide = RgbImage.of(4, 2, new int[] {a, b, c, d, a, b, c, d});
        ClipPreprocessor pre = ClipPreprocessor.builder().setImageSize(2).build();

        RgbImage square = pre.resize(wide);

        assertThat(square.pixels()).containsExactly(b, c, b, c);
    }

    @Test
    void shouldRoundTheCropOffsetHalfToEvenLikeTorchvision() {
        // 5x2: (5 - 2) / 2 = 1.5 rounds to 2 in Python, so the crop starts at column 2
        int[] row = {0x000001, 0x000002, 0x000003, 0x000004, 0x000005};
        RgbImage wide = RgbImage.of(5, 2, concat(row, row));
        ClipPreprocessor pre = ClipPreprocessor.builder().setImageSize(2).build();

        assertThat(pre.resize(wide).pixels()).containsExactly(0x000003, 0x000004, 0x000003, 0x000004);
    }

    @Test
    void shouldSquashWithoutCuttingAnythingOff() {
        // left half red, right half blue; squashed 4x2 -> 2x2 keeps one red and one blue column
        RgbImage halves = RgbImage.of(4, 2, new int[] {RED, RED, BLUE, BLUE, RED, RED, BLUE, BLUE});
        ClipPreprocessor pre = ClipPreprocessor.builder()
                .setImageSize(2)
                .optResizeMode(ResizeMode.SQUASH)
                .build();

        RgbImage square = pre.resize(halves);

        assertThat(square.pixels()).containsExactly(RED, BLUE, RED, BLUE);
    }

    @Test
    void shouldKeepAConstantImageConstantWhenScalingUpOrDown() {
        ClipPreprocessor pre = ClipPreprocessor.builder().setImageSize(7).build();

        RgbImage up = pre.resize(RgbImage.filled(3, 5, 0x336699));
        RgbImage down = pre.resize(RgbImage.filled(300, 200, 0x336699));

        assertThat(up).isEqualTo(RgbImage.filled(7, 7, 0x336699));
        assertThat(down).isEqualTo(RgbImage.filled(7, 7, 0x336699));
    }

    @Test
    void shouldAverageFineDetailWhenShrinkingByALargeFactor() {
        // a 1-pixel black/white checkerboard shrunk 32x must come out mid-gray, not aliased
        int[] pixels = new int[64 * 64];
        for (int i = 0; i < pixels.length; i++) {
            pixels[i] = ((i % 64) + (i / 64)) % 2 == 0 ? 0 : WHITE;
        }
        RgbImage board = RgbImage.of(64, 64, pixels);

        RgbImage small = Resampler.resize(board, 2, 2);

        for (int p : small.pixels()) {
            assertThat(p & 0xFF).isCloseTo(128, within(3));
        }
    }

    @Test
    void shouldRefuseWrongSizeForNormaliseAndBadSettings() {
        ClipPreprocessor pre = ClipPreprocessor.builder().setImageSize(2).build();

        assertThatThrownBy(() -> pre.normalise(RgbImage.filled(3, 2, 0)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("2x2");
        assertThatThrownBy(() -> ClipPreprocessor.builder().build())
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("imageSize");
        assertThatThrownBy(() -> ClipPreprocessor.builder()
                        .setImageSize(2)
                        .optStd(new float[] {1, 0, 1})
                        .build())
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("std");
    }

    private static int[] concat(int[] first, int[] second) {
        int[] out = new int[first.length + second.length];
        System.arraycopy(first, 0, out, 0, first.length);
        System.arraycopy(second, 0, out, first.length, second.length);
        return out;
    }
}
