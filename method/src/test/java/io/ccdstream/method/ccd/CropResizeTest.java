package io.ccdstream.method.ccd;

import static org.assertj.core.api.Assertions.assertThat;

import io.ccdstream.method.image.RgbImage;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class CropResizeTest {

    private static final int RED = 0xFF0000;
    private static final int BLUE = 0x0000FF;

    @ParameterizedTest(name = "{0}x{1} crop -> {2}x{3}")
    @CsvSource({
        // 300x100 at 224: 100 * 224 / 300 = 74.67 -> rounds to 75 (the released script truncates to 74)
        "300, 100, 224, 75",
        // 50x200 at 224: 50 * 224 / 200 = 56 exactly
        "50, 200, 56, 224",
        // already square: 224x224 unchanged
        "224, 224, 224, 224"
    })
    void shouldMakeTheLongerSideTheClipSideKeepingTheAspectRatio(int boxWidth, int boxHeight, int width, int height) {
        RgbImage image = RgbImage.filled(400, 400, RED);
        RgbImage resized = CropResize.unpadded(224).apply(image, CropBox.tile(10, 20, 10 + boxWidth, 20 + boxHeight));
        assertThat(resized.width()).isEqualTo(width);
        assertThat(resized.height()).isEqualTo(height);
    }

    @Test
    void shouldRoundTheShorterSideHalfUpAndKeepAtLeastOnePixel() {
        // 100*224/300 = 74.67 -> 75; 1*224/448 = 0.5 -> 1 (half up); 1*224/1000 = 0.22 -> 0 -> at least 1
        assertThat(CropResize.scaledShorterSide(100, 300, 224)).isEqualTo(75);
        assertThat(CropResize.scaledShorterSide(1, 448, 224)).isEqualTo(1);
        assertThat(CropResize.scaledShorterSide(1, 1000, 224)).isEqualTo(1);
    }

    @Test
    void shouldPadToACentredSquareWithClipsMeanColour() {
        // 224x75 content; top padding (224 - 75) / 2 = 74 rows, content rows 74..148, bottom 149..223
        RgbImage image = RgbImage.filled(300, 100, RED);
        RgbImage square = CropResize.of(224).apply(image, CropBox.tile(0, 0, 300, 100));

        assertThat(square.width()).isEqualTo(224);
        assertThat(square.height()).isEqualTo(224);
        assertThat(square.rgb(0, 73)).isEqualTo(CropResize.OPENAI_CLIP_MEAN_RGB);
        assertThat(square.rgb(0, 74)).isEqualTo(RED);
        assertThat(square.rgb(223, 148)).isEqualTo(RED);
        assertThat(square.rgb(223, 149)).isEqualTo(CropResize.OPENAI_CLIP_MEAN_RGB);
    }

    @Test
    void shouldDeriveTheMeanColourFromClipsNormalisationMean() {
        // 0.48145466*255 = 122.77 -> 123 (0x7B); 0.4578275*255 = 116.75 -> 117 (0x75);
        // 0.40821073*255 = 104.09 -> 104 (0x68)
        assertThat(CropResize.OPENAI_CLIP_MEAN_RGB).isEqualTo(0x7B7568);
    }

    @Test
    void shouldCutTheBoxOutOfTheOriginalImage() {
        // left half red, right half blue; the box is inside the right half
        int[] pixels = new int[40 * 20];
        for (int i = 0; i < pixels.length; i++) {
            pixels[i] = i % 40 < 20 ? RED : BLUE;
        }
        RgbImage image = RgbImage.of(40, 20, pixels);

        RgbImage crop = CropResize.of(32).apply(image, CropBox.tile(20, 0, 40, 20));

        assertThat(crop.pixels()).containsOnly(BLUE);
    }
}
