package io.ccdstream.models.classifier;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

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

    @Test
    void shouldGiveEveryStrongViewTheInputSizeAndReproduceItUnderTheSameSeed() {
        RgbImage image = RgbImage.of(50, 30, gradient(50, 30));
        for (StrongView view : StrongView.values()) {
            Augmentations augmentations = new Augmentations(24, 0.5, ColorJitter.CCD_STRONG, view);
            Random a = new Random(21);
            Random b = new Random(21);
            for (int i = 0; i < 10; i++) {
                RgbImage strong = augmentations.strong(image, a);

                assertThat(strong.width()).as(view.id()).isEqualTo(24);
                assertThat(strong.height()).as(view.id()).isEqualTo(24);
                assertThat(augmentations.strong(image, b)).as(view.id()).isEqualTo(strong);
            }
        }
    }

    @Test
    void shouldKeepEveryColourOfTheImageInTheGeometricView() {
        // two flat halves: a crop resized with interpolation only mixes them along the border
        int[] pixels = new int[40 * 40];
        for (int i = 0; i < pixels.length; i++) {
            pixels[i] = i % 40 < 20 ? Scenes.RED : Scenes.BLUE;
        }
        RgbImage image = RgbImage.of(40, 40, pixels);
        Augmentations geometric = new Augmentations(20, 0.5, ColorJitter.CCD_STRONG, StrongView.GEOMETRIC);
        Random random = new Random(3);

        int differentFromResize = 0;
        for (int i = 0; i < 20; i++) {
            RgbImage strong = geometric.strong(image, random);
            int corner = strong.rgb(0, 0);
            assertThat(corner).isIn(Scenes.RED, Scenes.BLUE);
            differentFromResize += strong.equals(geometric.weak(image, new Random(0))) ? 0 : 1;
        }

        assertThat(differentFromResize).isGreaterThan(10);
    }

    @Test
    void shouldDrawCropRegionsInsideTheImageWithinTheScaleAndRatioBounds() {
        Random random = new Random(17);
        double minShare = 1;
        for (int i = 0; i < 2000; i++) {
            Augmentations.Region region = Augmentations.cropRegion(64, 48, random);

            assertThat(region.x()).isBetween(0, 64 - region.width());
            assertThat(region.y()).isBetween(0, 48 - region.height());
            double share = (double) region.width() * region.height() / (64 * 48);
            double ratio = (double) region.width() / region.height();
            // rounding each side to whole pixels moves the share and the ratio a little
            assertThat(share).isBetween(Augmentations.CROP_MIN_SCALE - 0.03, 1.0);
            assertThat(ratio).isBetween(0.75 - 0.05, Augmentations.CROP_MAX_RATIO + 0.05);
            minShare = Math.min(minShare, share);
        }

        assertThat(minShare).as("the lower part of the range is drawn").isLessThan(0.45);
    }

    @Test
    void shouldCutOutASquareWhoseAreaStaysWithinItsBounds() {
        RgbImage image = RgbImage.filled(32, 32, 0x102030);
        Random random = new Random(8);
        int side = 8;
        int smallest = Integer.MAX_VALUE;
        for (int i = 0; i < 500; i++) {
            RgbImage cut = Augmentations.cutout(image, side, random);

            int filled = 0;
            for (int p : cut.pixels()) {
                assertThat(p).isIn(0x102030, Augmentations.CUTOUT_FILL);
                filled += p == Augmentations.CUTOUT_FILL ? 1 : 0;
            }
            assertThat(filled).isBetween((side + 1) / 2 * ((side + 1) / 2), side * side);
            smallest = Math.min(smallest, filled);
        }

        assertThat(smallest).as("squares at the border are clipped").isLessThan(side * side);
        assertThat(image.pixels()).as("the input is not modified").containsOnly(0x102030);
    }

    @Test
    void shouldKeepThePapersStrongViewAsTheColourPolicy() {
        RgbImage image = Scenes.square(Scenes.RED, 1, 2, 3);
        Augmentations paper = Augmentations.ccd(Scenes.SIZE);
        Augmentations colour = new Augmentations(Scenes.SIZE, 0.5, ColorJitter.CCD_STRONG, StrongView.COLOUR);

        assertThat(colour.strong(image, new Random(4))).isEqualTo(paper.strong(image, new Random(4)));
        assertThat(StrongView.of(" Geometric-Cutout ")).isEqualTo(StrongView.GEOMETRIC_CUTOUT);
        assertThatThrownBy(() -> StrongView.of("hue"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("geometric-cutout");
    }

    private static int[] gradient(int w, int h) {
        int[] pixels = new int[w * h];
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                pixels[y * w + x] = (x * 5) << 16 | (y * 8) << 8 | 0x40;
            }
        }
        return pixels;
    }
}
