package io.ccdstream.models.miniclip;

import static org.assertj.core.api.Assertions.assertThat;

import io.ccdstream.data.synth.SynthScene.SynthObject;
import io.ccdstream.method.image.RgbImage;
import org.junit.jupiter.api.Test;

class MiniClipReportTest {

    private static final RgbImage IMAGE = gradient(128);

    @Test
    void shouldCropASquareAroundTheEnlargedBox() {
        RgbImage crop = MiniClipReport.crop(IMAGE, new SynthObject("gem", 40, 50, 60, 60));

        // larger side 20, times 1.5 = 30, centred on (50, 55): x 35..65, y 40..70
        assertThat(crop.width()).isEqualTo(30);
        assertThat(crop.height()).isEqualTo(30);
        assertThat(crop.rgb(0, 0)).isEqualTo(IMAGE.rgb(35, 40));
    }

    @Test
    void shouldMoveCropsAtTheBorderInsideTheImageAndKeepAMinimumSide() {
        RgbImage corner = MiniClipReport.crop(IMAGE, new SynthObject("gem", 120, 0, 128, 6));

        assertThat(corner.width()).isEqualTo(MiniClipReport.MIN_CROP_SIDE);
        assertThat(corner.rgb(0, 0)).isEqualTo(IMAGE.rgb(128 - MiniClipReport.MIN_CROP_SIDE, 0));
        assertThat(MiniClipReport.crop(IMAGE, new SynthObject("box", 0, 0, 128, 128))
                        .width())
                .isEqualTo(128);
    }

    private static RgbImage gradient(int side) {
        int[] pixels = new int[side * side];
        for (int y = 0; y < side; y++) {
            for (int x = 0; x < side; x++) {
                pixels[y * side + x] = (x << 16) | (y << 8);
            }
        }
        return RgbImage.of(side, side, pixels);
    }
}
