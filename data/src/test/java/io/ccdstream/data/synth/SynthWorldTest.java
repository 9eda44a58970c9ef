package io.ccdstream.data.synth;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.awt.Color;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;

class SynthWorldTest {

    /**
     * SHA-256 of the decoded pixels and the ground truth of images 0-29 of three generators of the
     * original world, taken from the generator before worlds existed.
     */
    private static final String SMALL_OBJECTS_DIGEST =
            "273a872d76e08717497579554686f8b59a3fffe140bbe17aa93c4e28bcf880e5";

    @Test
    void shouldDrawTheOriginalScenesInTheSmallObjectsWorld() {
        List<SynthScenes> generators = List.of(
                SynthScenes.builder().setSeed(1).build(),
                new SynthScenes(7, 64, 0.1),
                SynthScenes.builder()
                        .setSeed(3)
                        .optWorld(SynthWorld.SMALL_OBJECTS)
                        .optSize(96)
                        .optSmallShare(0.7)
                        .optNoneShare(0.2)
                        .build());

        assertThat(digest(generators)).isEqualTo(SMALL_OBJECTS_DIGEST);
        assertThat(generators.get(0).world()).isEqualTo(SynthWorld.SMALL_OBJECTS);
        assertThat(generators.get(0).smallShare()).isEqualTo(SynthScenes.DEFAULT_SMALL_SHARE);
        assertThat(generators.get(0).generate(5).id()).isEqualTo("synth-1-000005");
    }

    @Test
    void shouldDrawManySmallObjectsInTheSmallObjectsWorld() {
        AreaShares shares = AreaShares.of(SynthWorld.SMALL_OBJECTS);

        assertThat(shares.small()).isBetween(0.35, 0.50);
        assertThat(shares.medium()).isBetween(0.30, 0.50);
        assertThat(shares.huge()).isLessThan(0.01);
    }

    @Test
    void shouldDrawMostlyObjectsOfATenthToHalfTheImageInTheVocLikeWorld() {
        AreaShares shares = AreaShares.of(SynthWorld.VOC_LIKE);

        assertThat(shares.small()).isBetween(0.08, 0.16);
        assertThat(shares.medium()).isGreaterThan(0.80);
        assertThat(shares.huge()).isLessThan(0.01);
        assertThat(shares.maxObjects()).isEqualTo(3);
    }

    /** Measured: 1.000 and 0.354. */
    @Test
    void shouldNotLetColourAloneNameTheClassInTheVocLikeWorld() {
        double original = nearestColourAccuracy(SynthWorld.SMALL_OBJECTS);
        double vocLike = nearestColourAccuracy(SynthWorld.VOC_LIKE);
        assertThat(original).isGreaterThan(0.99);
        assertThat(vocLike).isLessThan(0.6);
    }

    @Test
    void shouldNameVocLikeScenesApartFromTheOriginalOnes() {
        SynthScenes scenes =
                SynthScenes.builder().setSeed(1).optWorld(SynthWorld.VOC_LIKE).build();

        assertThat(scenes.generate(5).id()).isEqualTo("synth-voc-like-1-000005");
        assertThat(scenes.smallShare()).isEqualTo(SynthWorld.VOC_LIKE.defaultSmallShare());
        assertThat(SynthScenes.builder()
                        .setSeed(1)
                        .optWorld(SynthWorld.VOC_LIKE)
                        .optSmallShare(0.5)
                        .build()
                        .smallShare())
                .isEqualTo(0.5);
    }

    @Test
    void shouldParseWorldsByTheirIds() {
        assertThat(SynthWorld.parse("voc-like")).isEqualTo(SynthWorld.VOC_LIKE);
        assertThat(SynthWorld.parse("SMALL_OBJECTS")).isEqualTo(SynthWorld.SMALL_OBJECTS);
        assertThat(SynthWorld.VOC_LIKE.toString()).isEqualTo("voc-like");
        assertThatThrownBy(() -> SynthWorld.parse("coco"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("small-objects, voc-like");
    }

    /** Shares of object boxes by area over 500 images of seed 1 at 128 px. */
    private record AreaShares(double small, double medium, double huge, int maxObjects) {
        static AreaShares of(SynthWorld world) {
            SynthScenes scenes = SynthScenes.builder()
                    .setSeed(1)
                    .optWorld(world)
                    .optNoneShare(0)
                    .build();
            int n = 0;
            int small = 0;
            int medium = 0;
            int huge = 0;
            int most = 0;
            for (int i = 0; i < 500; i++) {
                SynthScene scene = scenes.generate(i);
                most = Math.max(most, scene.objects().size());
                for (SynthScene.SynthObject o : scene.objects()) {
                    double share = scene.areaShare(o);
                    n++;
                    small += share <= SynthScenes.SMALL_AREA_SHARE ? 1 : 0;
                    medium += share >= 0.10 && share <= 0.50 ? 1 : 0;
                    huge += share > 0.50 ? 1 : 0;
                }
            }
            return new AreaShares((double) small / n, (double) medium / n, (double) huge / n, most);
        }
    }

    /**
     * How often the class colour nearest to an object's colour is its own class's. The colour is
     * read at the box centre of the last object drawn (never occluded) when it is solid and not a
     * ring (whose centre is a hole), over 700 images.
     */
    private static double nearestColourAccuracy(SynthWorld world) {
        SynthScenes scenes =
                SynthScenes.builder().setSeed(2).optWorld(world).optNoneShare(0).build();
        int read = 0;
        int right = 0;
        for (int i = 0; i < 700; i++) {
            SynthScene scene = scenes.generate(i);
            SynthScene.SynthObject last = scene.objects().get(scene.objects().size() - 1);
            SynthClass type = SynthClass.ALL.get(SynthClass.names().indexOf(last.className()));
            if (type.texture() != SynthClass.Texture.SOLID || type.shape() == SynthClass.Shape.RING) {
                continue;
            }
            int rgb = decode(scene).getRGB((last.x0() + last.x1()) / 2, (last.y0() + last.y1()) / 2);
            read++;
            right += nearestClass(new Color(rgb)) == type ? 1 : 0;
        }
        assertThat(read).isGreaterThan(150);
        return (double) right / read;
    }

    private static SynthClass nearestClass(Color c) {
        SynthClass best = null;
        double bestDistance = Double.POSITIVE_INFINITY;
        for (SynthClass k : SynthClass.ALL) {
            Color o = k.color();
            double d = Math.pow(c.getRed() - o.getRed(), 2)
                    + Math.pow(c.getGreen() - o.getGreen(), 2)
                    + Math.pow(c.getBlue() - o.getBlue(), 2);
            if (d < bestDistance) {
                bestDistance = d;
                best = k;
            }
        }
        return best;
    }

    private static String digest(List<SynthScenes> generators) {
        try {
            MessageDigest sha = MessageDigest.getInstance("SHA-256");
            for (SynthScenes generator : generators) {
                for (int i = 0; i < 30; i++) {
                    SynthScene scene = generator.generate(i);
                    BufferedImage image = decode(scene);
                    int[] rgb = image.getRGB(0, 0, image.getWidth(), image.getHeight(), null, 0, image.getWidth());
                    ByteBuffer pixels = ByteBuffer.allocate(4 * rgb.length);
                    pixels.asIntBuffer().put(rgb);
                    sha.update(pixels.array());
                    sha.update(scene.objects().toString().getBytes(StandardCharsets.UTF_8));
                }
            }
            return HexFormat.of().formatHex(sha.digest());
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private static BufferedImage decode(SynthScene scene) {
        try {
            return ImageIO.read(new ByteArrayInputStream(scene.png()));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
