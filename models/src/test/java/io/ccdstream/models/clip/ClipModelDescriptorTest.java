package io.ccdstream.models.clip;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.ccdstream.method.image.ClipPreprocessor;
import io.ccdstream.method.image.ResizeMode;
import org.junit.jupiter.api.Test;

class ClipModelDescriptorTest {

    private static final String MINIMAL = """
            {"format": "torchscript-clip", "modelId": "m", "imageSize": 224,
             "embeddingDim": 512, "contextLength": 77}""";

    @Test
    void shouldReadTheFixtureDescriptor() throws ClipModelException {
        ClipModelDescriptor d = ClipModelDescriptor.read(TinyClipFixture.modelDir());

        assertThat(d.modelId()).isEqualTo("tiny-clip-fixture");
        assertThat(d.imageSize()).isEqualTo(32);
        assertThat(d.embeddingDim()).isEqualTo(16);
        assertThat(d.contextLength()).isEqualTo(16);
        assertThat(d.logitScale()).isEqualTo(100f);
        assertThat(d.promptTemplate()).isEqualTo("a photo of the {class}");
        assertThat(d.preprocessor().imageSize()).isEqualTo(32);
    }

    @Test
    void shouldApplyDocumentedDefaults() throws ClipModelException {
        ClipModelDescriptor d = ClipModelDescriptor.parse(MINIMAL, "test");

        assertThat(d.modelFile()).isEqualTo("model.pt");
        assertThat(d.tokenizerFile()).isEqualTo("tokenizer.json");
        assertThat(d.resizeMode()).isEqualTo(ResizeMode.SHORTER_SIDE_CENTER_CROP);
        assertThat(d.mean()).containsExactly(ClipPreprocessor.OPENAI_CLIP_MEAN);
        assertThat(d.std()).containsExactly(ClipPreprocessor.OPENAI_CLIP_STD);
        assertThat(d.logitScale()).isEqualTo(100f);
        assertThat(d.padTokenId()).isZero();
        assertThat(d.promptTemplate()).isEqualTo(ClipModelDescriptor.DEFAULT_PROMPT_TEMPLATE);
    }

    @Test
    void shouldRejectUnknownFieldsByName() {
        String typo = MINIMAL.replace("\"imageSize\"", "\"imagesize\"");

        assertThatThrownBy(() -> ClipModelDescriptor.parse(typo, "typo.json"))
                .isInstanceOf(ClipModelException.class)
                .hasMessageContaining("typo.json")
                .hasMessageContaining("unknown field 'imagesize'");
    }

    @Test
    void shouldRejectFileNamesOutsideTheDirectoryAndBadValues() {
        String bad = MINIMAL.replace(
                "}",
                ", \"modelFile\": \"../../etc/passwd\", \"std\": [1, 0, 1],"
                        + " \"logitScale\": -1, \"promptTemplate\": \"a photo\", \"formatVersion\": 2}");

        assertThatThrownBy(() -> ClipModelDescriptor.parse(bad, "bad.json"))
                .isInstanceOf(ClipModelException.class)
                .hasMessageContaining("modelFile must be a plain file name")
                .hasMessageContaining("std needs 3 positive values")
                .hasMessageContaining("logitScale must be a positive number")
                .hasMessageContaining("promptTemplate must contain {class}")
                .hasMessageContaining("formatVersion 2 is not supported");
    }

    @Test
    void shouldReportMalformedJson() {
        assertThatThrownBy(() -> ClipModelDescriptor.parse("{\"format\": ", "broken.json"))
                .isInstanceOf(ClipModelException.class)
                .hasMessageContaining("broken.json is not a valid CLIP descriptor");
    }
}
