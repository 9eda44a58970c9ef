package io.ccdstream.models.clip;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import ai.djl.Model;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.ParameterStore;
import io.ccdstream.models.djl.DjlRuntime;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The djl-mini-clip descriptor and the block it describes. */
class MiniClipFormatTest {

    private static final String MINI = """
            {"format": "djl-mini-clip", "modelId": "m", "imageSize": 32, "embeddingDim": 8, "contextLength": 6,
             "architecture": {"imageWidths": [4, 8], "convsPerStage": 2, "vocabularySize": 10, "textWidth": 12}}""";

    private static final String TORCHSCRIPT = """
            {"format": "torchscript-clip", "modelId": "m", "imageSize": 32, "embeddingDim": 8, "contextLength": 6}""";

    @Test
    void shouldReadTheArchitectureAndDefaultTheParameterFile() throws ClipModelException {
        ClipModelDescriptor d = ClipModelDescriptor.parse(MINI, "mini.json");

        assertThat(d.format()).isEqualTo(ClipModelFormat.DJL_MINI_CLIP);
        assertThat(d.modelFile()).isEqualTo("mini-clip.params");
        assertThat(d.architecture()).isEqualTo(new MiniClipArchitecture(List.of(4, 8), 2, 10, 12));
    }

    @Test
    void shouldReadBackWhatItWrites() throws ClipModelException {
        ClipModelDescriptor d = ClipModelDescriptor.parse(MINI, "mini.json");

        ClipModelDescriptor again = ClipModelDescriptor.parse(d.toJson(), "again.json");

        assertThat(again.toJson()).isEqualTo(d.toJson());
        assertThat(again.architecture()).isEqualTo(d.architecture());
        assertThat(again.mean()).containsExactly(d.mean());
        assertThat(ClipModelDescriptor.parse(TORCHSCRIPT, "t").toJson())
                .contains("\"format\" : \"torchscript-clip\"")
                .doesNotContain("architecture");
    }

    @Test
    void shouldRequireTheArchitectureOnlyForTheMiniClipFormat() {
        String noArchitecture = TORCHSCRIPT.replace("torchscript-clip", "djl-mini-clip");
        String torchScriptWithArchitecture = MINI.replace("djl-mini-clip", "torchscript-clip");
        String badArchitecture =
                MINI.replace("\"convsPerStage\": 2", "\"convsPerStage\": 3").replace("[4, 8]", "[4, 8, 8, 8, 8, 8]");

        assertThatThrownBy(() -> ClipModelDescriptor.parse(noArchitecture, "a.json"))
                .hasMessageContaining("architecture is required for format \"djl-mini-clip\"");
        assertThatThrownBy(() -> ClipModelDescriptor.parse(torchScriptWithArchitecture, "b.json"))
                .hasMessageContaining("architecture is only allowed for format \"djl-mini-clip\"");
        assertThatThrownBy(() -> ClipModelDescriptor.parse(badArchitecture, "c.json"))
                .hasMessageContaining("convsPerStage must be 1 or 2")
                .hasMessageContaining("too many for imageSize 32");
    }

    @Test
    void shouldEncodeWhatTheSelectorAsksForAndNormaliseTrainingOutputs() {
        MiniClipBlock block = new MiniClipBlock(new MiniClipArchitecture(List.of(4, 8), 1, 10, 12), 8, 0);
        TinyClipFixture.pytorch();
        try (Model model = Model.newInstance("mini", DjlRuntime.PYTORCH)) {
            model.setBlock(block);
            NDManager manager = model.getNDManager();
            block.initialize(manager, ai.djl.ndarray.types.DataType.FLOAT32, new Shape(2, 3, 32, 32), new Shape(2, 6));
            ParameterStore parameters = new ParameterStore(manager, false);
            try (NDManager scope = manager.newSubManager()) {
                NDArray images = scope.randomNormal(new Shape(2, 3, 32, 32));
                NDArray tokens = scope.create(new long[] {2, 5, 7, 3, 0, 0, 2, 9, 3, 0, 0, 0}, new Shape(2, 6));

                NDList imageOnly = block.forward(
                        parameters,
                        new NDList(images, TorchScriptOutputs.methodSelector(scope, ImageTranslator.METHOD)),
                        false);
                NDList textOnly = block.forward(
                        parameters,
                        new NDList(tokens, TorchScriptOutputs.methodSelector(scope, TextTranslator.METHOD)),
                        false);
                NDList pair = block.forward(parameters, new NDList(images, tokens), false);

                assertThat(imageOnly.singletonOrThrow().getShape()).isEqualTo(new Shape(2, 8));
                assertThat(textOnly.singletonOrThrow().getShape()).isEqualTo(new Shape(2, 8));
                assertThat(pair).hasSize(3);
                float[] rowNorms = pair.get(1).square().sum(new int[] {1}).toFloatArray();
                assertThat(rowNorms).containsExactly(new float[] {1f, 1f}, within(1e-5f));
                assertThat(pair.get(2).toFloatArray()[0]).isCloseTo(MiniClipBlock.INITIAL_LOGIT_SCALE, within(1e-3f));
                assertThat(block.logitScale()).isCloseTo(MiniClipBlock.INITIAL_LOGIT_SCALE, within(1e-3f));
            }
        }
    }
}
