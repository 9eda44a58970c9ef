package io.ccdstream.processors.synth;

import static org.assertj.core.api.Assertions.assertThat;

import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;

class SynthScenesTest {

    @Test
    void shouldGenerateTheSameBytesForTheSameSeedAndIndex() {
        SynthScene a = new SynthScenes(7, 96, 0.1).generate(42);
        SynthScene b = new SynthScenes(7, 96, 0.1).generate(42);
        assertThat(a.png()).isEqualTo(b.png());
        assertThat(a.objects()).isEqualTo(b.objects());
        assertThat(new SynthScenes(8, 96, 0.1).generate(42).png()).isNotEqualTo(a.png());
    }

    @Test
    void shouldDrawEachObjectInsideItsBox() throws IOException {
        SynthScenes scenes = new SynthScenes(3, 128, 0.0);
        for (int i = 0; i < 20; i++) {
            SynthScene scene = scenes.generate(i);
            BufferedImage image = ImageIO.read(new ByteArrayInputStream(scene.png()));
            assertThat(image.getWidth()).isEqualTo(128);
            assertThat(scene.objects()).hasSizeBetween(1, 4);
            SynthScene.SynthObject last = scene.objects().get(scene.objects().size() - 1);
            // the last object is drawn on top: its class colour shows inside its box
            int rgb = SynthClass.ALL.stream().filter(c -> c.name().equals(last.className())).findFirst()
                .orElseThrow().color().getRGB() & 0xFFFFFF;
            boolean found = false;
            for (int y = last.y0(); y < last.y1() && !found; y++) {
                for (int x = last.x0(); x < last.x1() && !found; x++) {
                    found = (image.getRGB(x, y) & 0xFFFFFF) == rgb;
                }
            }
            assertThat(found).as("colour of %s inside its box in scene %d", last.className(), i).isTrue();
            assertThat(last.x0()).isGreaterThanOrEqualTo(0);
            assertThat(last.x1()).isLessThanOrEqualTo(128).isGreaterThan(last.x0());
        }
    }

    @Test
    void shouldProduceNoneImagesAtTheConfiguredShare() {
        SynthScenes scenes = new SynthScenes(11, 48, 0.5);
        long none = java.util.stream.LongStream.range(0, 400)
            .filter(i -> scenes.generate(i).objects().isEmpty()).count();
        assertThat(none).isBetween(150L, 250L);
    }
}
