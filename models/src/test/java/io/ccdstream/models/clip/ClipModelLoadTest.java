package io.ccdstream.models.clip;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Loading broken model directories fails with a message that says what to fix. */
class ClipModelLoadTest {

    @TempDir
    Path temp;

    @Test
    void shouldNameAMissingModelDirectory() {
        Path missing = temp.resolve("no-such-model");

        assertThatThrownBy(() -> ClipModel.load(missing))
                .isInstanceOf(ClipModelException.class)
                .hasMessageContaining(missing.toString())
                .hasMessageContaining("does not exist");
    }

    @Test
    void shouldAskForTheDescriptorWhenItIsMissing() {
        assertThatThrownBy(() -> ClipModel.load(temp))
                .isInstanceOf(ClipModelException.class)
                .hasMessageContaining("has no clip.json");
    }

    @Test
    void shouldNameAMissingTorchScriptFile() throws IOException {
        Path dir = copyFixture();
        Files.delete(dir.resolve("model.pt"));

        assertThatThrownBy(() -> ClipModel.load(dir))
                .isInstanceOf(ClipModelException.class)
                .hasMessageContaining("has no model.pt");
    }

    @Test
    void shouldReportAnUnreadableTorchScriptFile() throws IOException {
        Path dir = copyFixture();
        Files.writeString(dir.resolve("model.pt"), "this is not a TorchScript archive");

        assertThatThrownBy(() -> ClipModel.load(dir))
                .isInstanceOf(ClipModelException.class)
                .hasMessageContaining("cannot load TorchScript module");
    }

    @Test
    void shouldReportAnInvalidTokenizerFile() throws IOException {
        Path dir = copyFixture();
        Files.writeString(dir.resolve("tokenizer.json"), "{\"model\": 42}");

        assertThatThrownBy(() -> ClipModel.load(dir))
                .isInstanceOf(ClipModelException.class)
                .hasMessageContaining("cannot load tokenizer");
    }

    @Test
    void shouldDetectAnEmbeddingDimensionThatDisagreesWithTheModel() throws IOException {
        Path dir = copyFixture();
        Path descriptor = dir.resolve("clip.json");
        Files.writeString(
                descriptor, Files.readString(descriptor).replace("\"embeddingDim\": 16", "\"embeddingDim\": 8"));

        assertThatThrownBy(() -> ClipModel.load(dir))
                .isInstanceOf(ClipModelException.class)
                .hasMessageContaining("does not behave as a CLIP module")
                .hasMessageContaining("encode_image");
    }

    @Test
    void shouldListEveryInvalidDescriptorField() throws IOException {
        Path dir = copyFixture();
        Files.writeString(
                dir.resolve("clip.json"),
                "{\"format\": \"onnx\", \"modelId\": \"x\", \"imageSize\": 0, \"contextLength\": 16}");

        assertThatThrownBy(() -> ClipModel.load(dir))
                .isInstanceOf(ClipModelException.class)
                .hasMessageContaining("format must be \"torchscript-clip\"")
                .hasMessageContaining("imageSize")
                .hasMessageContaining("embeddingDim is required");
    }

    private Path copyFixture() throws IOException {
        Path dir = Files.createDirectory(temp.resolve("tiny-clip"));
        try (Stream<Path> files = Files.list(TinyClipFixture.modelDir())) {
            for (Path file : files.toList()) {
                Files.copy(file, dir.resolve(file.getFileName().toString()));
            }
        }
        assertThat(dir.resolve("clip.json")).exists();
        return dir;
    }
}
