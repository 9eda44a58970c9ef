package io.ccdstream.models.clip;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.ccdstream.method.image.RgbImage;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * A model directory written by scripts/export_clip.py (through scripts/test_export_clip.py, on a
 * small random CLIP-like model traced with torch.jit.trace_module) loads in the Java facade and
 * gives the eager PyTorch model's embeddings.
 */
class ExportedClipTest {

    @Test
    void shouldLoadATracedExportAndReproduceTheEagerEmbeddings() throws Exception {
        TinyClipFixture.pytorch();
        Path dir = Path.of(ExportedClipTest.class
                        .getResource("/models/exported-clip/clip.json")
                        .toURI())
                .getParent();
        JsonNode expected =
                new ObjectMapper().readTree(dir.resolve("expected.json").toFile());

        try (ClipModel model = ClipModel.load(dir)) {
            // the script's token ids [SOS] photo of [EOS] are what the tokenizer makes of "photo of"
            float[] text = model.encodeTexts(List.of("photo of"))[0];
            float[] image = model.encodeImages(List.of(RgbImage.filled(32, 32, 0xFF0000)))[0];

            assertThat(text).containsExactly(normalised(TinyClipFixture.floats(expected.get("text"))), within(1e-4f));
            assertThat(image).containsExactly(normalised(TinyClipFixture.floats(expected.get("image"))), within(1e-4f));
            assertThat(model.descriptor().modelId()).isEqualTo("exported-fake-clip");
            assertThat(model.descriptor().logitScale()).isCloseTo(100f, within(0.01f));
        }
    }

    private static float[] normalised(float[] v) {
        double norm = 0;
        for (float x : v) {
            norm += x * x;
        }
        float[] out = new float[v.length];
        for (int i = 0; i < v.length; i++) {
            out[i] = (float) (v[i] / Math.sqrt(norm));
        }
        return out;
    }
}
