package io.ccdstream.models.classifier;

import static org.assertj.core.api.Assertions.assertThat;

import io.ccdstream.method.image.RgbImage;
import java.util.Random;
import org.junit.jupiter.api.Test;

class AugmentationsTest {

    @Test
    void shouldMirrorEachRowExactly() {
        int[] pixels = new int[5 * 3];
        for (int i = 0; i < pixels.length; i++) {
            pixels[i] = i * 0x010203;
        }
        RgbImage image = RgbImage.of(5, 3, pixels);

        RgbImage flipped = Augmentations.flipHorizontal(image);

        for (int y = 0; y < 3; y++) {
            for (int x = 0; x < 5; x++) {
                assertThat(flipped.rgb(x, y)).isEqualTo(image.rgb(4 - x, y));
            }
        }
        assertThat(Augmentations.flipHorizontal(flipped)).isEqualTo(image);
    }

    @Test
    void shouldResizeTheWeakViewToTheInputSize() {
        RgbImage image = RgbImage.filled(50, 20, 0x123456);

        RgbImage weak = Augmentations.ccd(32).weak(image, new Random(1));

        assertThat(weak.width()).isEqualTo(32);
        assertThat(weak.height()).isEqualTo(32);
        assertThat(weak.rgb(5, 5)).isEqualTo(0x123456);
    }

    @Test
    void shouldFlipWithTheConfiguredProbability() {
        RgbImage image = Scenes.square(Scenes.RED, 0, 0, 0);
        RgbImage mirrored = Augmentations.flipHorizontal(image);
        Augmentations never = new Augmentations(Scenes.SIZE, 0, ColorJitter.CCD_STRONG);
        Augmentations always = new Augmentations(Scenes.SIZE, 1, ColorJitter.CCD_STRONG);
        Augmentations half = Augmentations.ccd(Scenes.SIZE);
        Random random = new Random(5);

        int flips = 0;
        for (int i = 0; i < 400; i++) {
            assertThat(never.weak(image, random)).isEqualTo(image);
            assertThat(always.weak(image, random)).isEqualTo(mirrored);
            flips += half.weak(image, random).equals(mirrored) ? 1 : 0;
        }

        // Binomial(400, 0.5): mean 200, sd 10
        assertThat(flips).isBetween(160, 240);
    }

    @Test
    void shouldReproduceBothViewsUnderTheSameSeed() {
        RgbImage image = Scenes.square(Scenes.BLUE, 3, 4, 2);
        Augmentations augmentations = Augmentations.ccd(Scenes.SIZE);
        Random a = new Random(11);
        Random b = new Random(11);

        for (int i = 0; i < 20; i++) {
            assertThat(augmentations.weak(image, b)).isEqualTo(augmentations.weak(image, a));
            assertThat(augmentations.strong(image, b)).isEqualTo(augmentations.strong(image, a));
        }
    }

    @Test
    void shouldChangeColoursOnlyInTheStrongView() {
        RgbImage image = Scenes.square(Scenes.RED, 0, 0, 0);
        Augmentations augmentations = Augmentations.ccd(Scenes.SIZE);
        Random random = new Random(9);
        RgbImage mirrored = Augmentations.flipHorizontal(image);

        int changed = 0;
        for (int i = 0; i < 20; i++) {
            RgbImage weak = augmentations.weak(image, random);
            RgbImage strong = augmentations.strong(image, random);
            assertThat(weak).isIn(image, mirrored);
            changed += strong.equals(image) || strong.equals(mirrored) ? 0 : 1;
        }

        assertThat(changed).isGreaterThan(15);
    }
}
