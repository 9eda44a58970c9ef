package io.ccdstream.models.classifier;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.ccdstream.method.image.RgbImage;
import io.ccdstream.models.classifier.ColorJitter.Adjustment;
import io.ccdstream.models.classifier.ColorJitter.Draw;
import java.io.IOException;
import java.io.InputStream;
import java.util.Arrays;
import java.util.Random;
import org.junit.jupiter.api.Test;

class ColorJitterTest {

    @Test
    void shouldMatchTorchvisionColourAdjustmentsForFixedDraws() throws IOException {
        // test vectors: torchvision 0.14 transforms.functional on float tensors,
        // written by src/test/python/make_classifier_fixtures.py
        JsonNode doc = vectors();
        RgbImage image = RgbImage.of(doc.get("width").asInt(), doc.get("height").asInt(), ints(doc.get("pixels")));

        for (JsonNode c : doc.get("cases")) {
            Adjustment[] order = new Adjustment[4];
            for (int i = 0; i < 4; i++) {
                order[i] = Adjustment.valueOf(c.get("order").get(i).asText());
            }
            Draw draw = new Draw(
                    order,
                    (float) c.get("brightness").asDouble(),
                    (float) c.get("contrast").asDouble(),
                    (float) c.get("saturation").asDouble(),
                    (float) c.get("hue").asDouble());

            int[] actual = ColorJitter.apply(image, draw).pixels();

            // identical 8-bit values: both sides compute in float32 and round once at the end
            assertThat(actual).as(Arrays.toString(order)).containsExactly(ints(c.get("expected")));
        }
    }

    @Test
    void shouldLeaveTheImageUnchangedForNeutralFactors() {
        RgbImage image = Scenes.square(Scenes.RED, 1, 2, 3);
        Draw neutral = new Draw(Adjustment.values(), 1f, 1f, 1f, 0f);

        assertThat(ColorJitter.apply(image, neutral)).isEqualTo(image);
    }

    @Test
    void shouldDrawFactorsInTorchvisionRangesAndAPermutation() {
        Random random = new Random(3);
        for (int i = 0; i < 500; i++) {
            Draw draw = ColorJitter.CCD_STRONG.draw(random);

            assertThat(draw.brightness()).isBetween(0.5f, 1.5f);
            assertThat(draw.contrast()).isBetween(0.5f, 1.5f);
            assertThat(draw.saturation()).isBetween(0.5f, 1.5f);
            assertThat(draw.hue()).isBetween(-0.5f, 0.5f);
            assertThat(draw.order()).containsExactlyInAnyOrder(Adjustment.values());
        }
    }

    @Test
    void shouldBeDeterministicUnderASeed() {
        RgbImage image = Scenes.square(Scenes.BLUE, 2, 1, 1);

        RgbImage first = ColorJitter.CCD_STRONG.apply(image, new Random(42));
        RgbImage second = ColorJitter.CCD_STRONG.apply(image, new Random(42));
        RgbImage other = ColorJitter.CCD_STRONG.apply(image, new Random(43));

        assertThat(second).isEqualTo(first);
        assertThat(other).isNotEqualTo(first);
    }

    @Test
    void shouldRefuseAHueStrengthAboveHalfATurn() {
        assertThatThrownBy(() -> new ColorJitter(0.5f, 0.5f, 0.5f, 0.6f))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("hue");
    }

    private static JsonNode vectors() throws IOException {
        try (InputStream in = ColorJitterTest.class.getResourceAsStream("/classifier/color-jitter.json")) {
            return new ObjectMapper().readTree(in);
        }
    }

    private static int[] ints(JsonNode array) {
        int[] values = new int[array.size()];
        for (int i = 0; i < values.length; i++) {
            values[i] = array.get(i).asInt();
        }
        return values;
    }
}
