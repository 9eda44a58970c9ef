package io.ccdstream.data.synth;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.awt.Color;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.util.List;
import java.util.stream.LongStream;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;

class SynthScenesTest {

    private static final int DARK = 0x0A0A0A;
    private static final int LIGHT = 0xFAFAFA;

    @Test
    void shouldGenerateTheSameBytesForTheSameSeedAndIndex() {
        SynthScene a = new SynthScenes(7, 96, 0.1).generate(42);
        SynthScene b = new SynthScenes(7, 96, 0.1).generate(42);
        assertThat(a.png()).isEqualTo(b.png());
        assertThat(a.objects()).isEqualTo(b.objects());
        assertThat(new SynthScenes(8, 96, 0.1).generate(42).png()).isNotEqualTo(a.png());
    }

    @Test
    void shouldDefaultTo128PixelImages() {
        SynthScenes scenes = SynthScenes.builder().setSeed(1).build();

        assertThat(scenes.size()).isEqualTo(128);
        assertThat(scenes.generate(0).width()).isEqualTo(128);
        assertThatThrownBy(() -> SynthScenes.builder().build()).hasMessageContaining("setSeed");
    }

    @Test
    void shouldGiveEveryObjectTheTightBoxOfItsVisiblePixels() throws IOException {
        SynthScenes scenes = new SynthScenes(3, 128, 0.0);
        for (int i = 0; i < 60; i++) {
            SynthScene scene = scenes.generate(i);
            BufferedImage decoded = ImageIO.read(new ByteArrayInputStream(scene.png()));
            assertThat(decoded.getWidth()).isEqualTo(128);
            Pixels image = new Pixels(decoded);
            assertThat(scene.objects()).hasSizeBetween(1, SynthScenes.MAX_OBJECTS);
            for (SynthScene.SynthObject o : scene.objects()) {
                int colour = colour(o.className());
                String what = o.className() + " in scene " + i;
                assertThat(o.x0()).as(what).isGreaterThanOrEqualTo(0);
                assertThat(o.y0()).as(what).isGreaterThanOrEqualTo(0);
                assertThat(o.x1()).as(what).isLessThanOrEqualTo(128).isGreaterThan(o.x0());
                assertThat(o.y1()).as(what).isLessThanOrEqualTo(128).isGreaterThan(o.y0());
                assertThat(count(image, o, rgb -> rgb == colour))
                        .as("colour of " + what + " in its box")
                        .isPositive();
                // tight: each edge of the box holds a pixel of the object (its colour or its texture's)
                assertThat(countRow(image, o.y0(), o, colour))
                        .as("top edge of " + what)
                        .isPositive();
                assertThat(countRow(image, o.y1() - 1, o, colour))
                        .as("bottom edge of " + what)
                        .isPositive();
                assertThat(countColumn(image, o.x0(), o, colour))
                        .as("left edge of " + what)
                        .isPositive();
                assertThat(countColumn(image, o.x1() - 1, o, colour))
                        .as("right edge of " + what)
                        .isPositive();
            }
            assertNoClassColourOutsideItsBoxes(image, scene, i);
        }
    }

    @Test
    void shouldDrawAFairShareOfSmallObjectsAndSomeLargeOnes() {
        SynthScenes scenes = new SynthScenes(5, 128, 0.0);
        List<double[]> shares = LongStream.range(0, 300)
                .mapToObj(scenes::generate)
                .flatMap(s -> s.objects().stream().map(o -> new double[] {s.areaShare(o)}))
                .toList();

        long small = shares.stream()
                .filter(a -> a[0] <= SynthScenes.SMALL_AREA_SHARE)
                .count();
        long large = shares.stream().filter(a -> a[0] >= 0.15).count();
        assertThat((double) small / shares.size()).isBetween(0.3, 0.6);
        assertThat((double) large / shares.size()).isGreaterThan(0.2);
    }

    @Test
    void shouldOccludeObjectsOnlyPartially() {
        SynthScenes scenes = new SynthScenes(9, 128, 0.0);
        int overlapping = 0;
        for (int i = 0; i < 200; i++) {
            List<SynthScene.SynthObject> objects = scenes.generate(i).objects();
            for (int a = 0; a < objects.size(); a++) {
                for (int b = a + 1; b < objects.size(); b++) {
                    overlapping += overlap(objects.get(a), objects.get(b)) ? 1 : 0;
                }
            }
        }
        // partial occlusion happens; that every occluded object stays visible is checked by the box test
        assertThat(overlapping).isGreaterThan(20);
    }

    @Test
    void shouldProduceNoneImagesAtTheConfiguredShare() {
        SynthScenes scenes = new SynthScenes(11, 48, 0.5);
        long none = LongStream.range(0, 400)
                .filter(i -> scenes.generate(i).objects().isEmpty())
                .count();
        assertThat(none).isBetween(150L, 250L);
    }

    @Test
    void shouldDrawClassesAtTheConfiguredWeights() {
        double[] weights = new double[SynthClass.ALL.size()];
        weights[2] = 3;
        weights[7] = 1;
        SynthScenes scenes = SynthScenes.builder()
                .setSeed(4)
                .optSize(64)
                .optNoneShare(0)
                .optClassWeights(weights)
                .build();

        List<String> names = LongStream.range(0, 200)
                .mapToObj(scenes::generate)
                .flatMap(s -> s.objects().stream().map(SynthScene.SynthObject::className))
                .toList();

        assertThat(names).containsOnly("ball", "book");
        double ballShare = names.stream().filter("ball"::equals).count() / (double) names.size();
        assertThat(ballShare).isBetween(0.68, 0.82);
    }

    /** The decoded pixels as 0xRRGGBB, read once. */
    private record Pixels(int width, int height, int[] rgb) {
        Pixels(BufferedImage image) {
            this(
                    image.getWidth(),
                    image.getHeight(),
                    image.getRGB(0, 0, image.getWidth(), image.getHeight(), null, 0, image.getWidth()));
        }

        int getWidth() {
            return width;
        }

        int getHeight() {
            return height;
        }

        int getRGB(int x, int y) {
            return rgb[y * width + x] & 0xFFFFFF;
        }
    }

    private static void assertNoClassColourOutsideItsBoxes(Pixels image, SynthScene scene, int index) {
        for (SynthClass type : SynthClass.ALL) {
            int colour = type.color().getRGB() & 0xFFFFFF;
            List<SynthScene.SynthObject> boxes = scene.objects().stream()
                    .filter(o -> o.className().equals(type.name()))
                    .toList();
            for (int y = 0; y < image.getHeight(); y++) {
                for (int x = 0; x < image.getWidth(); x++) {
                    if ((image.getRGB(x, y) & 0xFFFFFF) == colour) {
                        int px = x;
                        int py = y;
                        assertThat(boxes.stream()
                                        .anyMatch(o -> px >= o.x0() && px < o.x1() && py >= o.y0() && py < o.y1()))
                                .as(
                                        "pixel (%d, %d) of colour %s in scene %d lies in a %s box",
                                        x, y, type.name(), index, type.name())
                                .isTrue();
                    }
                }
            }
        }
    }

    private static boolean overlap(SynthScene.SynthObject a, SynthScene.SynthObject b) {
        return a.x0() < b.x1() && b.x0() < a.x1() && a.y0() < b.y1() && b.y0() < a.y1();
    }

    private static int colour(String className) {
        Color c = SynthClass.ALL.stream()
                .filter(k -> k.name().equals(className))
                .findFirst()
                .orElseThrow()
                .color();
        return c.getRGB() & 0xFFFFFF;
    }

    private static boolean ofObject(int rgb, int colour) {
        return rgb == colour || rgb == DARK || rgb == LIGHT;
    }

    private static int countRow(Pixels image, int y, SynthScene.SynthObject o, int colour) {
        int n = 0;
        for (int x = o.x0(); x < o.x1(); x++) {
            n += ofObject(image.getRGB(x, y) & 0xFFFFFF, colour) ? 1 : 0;
        }
        return n;
    }

    private static int countColumn(Pixels image, int x, SynthScene.SynthObject o, int colour) {
        int n = 0;
        for (int y = o.y0(); y < o.y1(); y++) {
            n += ofObject(image.getRGB(x, y) & 0xFFFFFF, colour) ? 1 : 0;
        }
        return n;
    }

    private static int count(Pixels image, SynthScene.SynthObject o, java.util.function.IntPredicate test) {
        int n = 0;
        for (int y = o.y0(); y < o.y1(); y++) {
            for (int x = o.x0(); x < o.x1(); x++) {
                n += test.test(image.getRGB(x, y) & 0xFFFFFF) ? 1 : 0;
            }
        }
        return n;
    }
}
