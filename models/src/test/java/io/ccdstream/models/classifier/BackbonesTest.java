package io.ccdstream.models.classifier;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import io.ccdstream.method.image.RgbImage;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The ResNet and TorchScript backbones. */
class BackbonesTest {

    @TempDir
    Path dir;

    @Test
    void shouldRunResNet50OnOne64PixelImage() throws ClassifierException {
        ClassifierConfig config = ClassifierConfig.builder()
                .setClassNames(List.of("a", "b", "c", "d", "e"))
                .optBackbone(Backbone.resNet50())
                .optInputSize(64)
                .build();
        try (Classifier classifier = Classifier.create(config)) {
            ClassifierOutput out = classifier.forwardWithCam(List.of(RgbImage.filled(64, 64, 0x406080)));

            // ResNet reduces by 32: a 2x2 map from 2048 channels
            assertThat(out.logits()).hasDimensions(1, 5);
            assertThat(out.cams()[0]).hasNumberOfRows(5);
            assertThat(out.cam(0, 0)).hasDimensions(2, 2);
            assertThat(classifier.parameterValues().get("01backbone_02BatchNorm_gamma"))
                    .as("stem")
                    .hasSize(64);
            assertThat(classifier.parameterValues().get("02head_weight"))
                    .as("head on 2048 channels")
                    .hasSize(5 * 2048);
        }
    }

    @Test
    void shouldBuildResNet101WithTwentyThreeUnitsInItsThirdStage() {
        // stem (conv, bn, relu, pool) + 3 + 4 + 23 + 3 residual units, no pooling or classifier
        assertThat(Backbones.resNet(101, 64).getChildren().size()).isEqualTo(4 + 3 + 4 + 23 + 3);
        assertThat(Backbones.resNet(50, 64).getChildren().size()).isEqualTo(4 + 3 + 4 + 6 + 3);
    }

    @Test
    void shouldRefuseResNetOnTinyInputs() {
        assertThatThrownBy(() -> ClassifierConfig.builder()
                        .setClassNames(List.of("a"))
                        .optBackbone(Backbone.resNet50())
                        .optInputSize(32)
                        .build())
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("above 32");
    }

    @Test
    void shouldUseATorchScriptBackboneForTheCam() throws Exception {
        try (Classifier classifier = Classifier.create(torchScriptConfig())) {
            ClassifierOutput out = classifier.forwardWithCam(ClassifierTest.images(2));

            // tiny-backbone.pt: [N, 3, 32, 32] -> [N, 16, 8, 8]
            assertThat(out.cam(1, 1)).hasDimensions(8, 8);
            assertThat(classifier.parameterValues().get("02head_weight")).hasSize(2 * 16);
        }
    }

    @Test
    void shouldFineTuneTheTorchScriptBackbone() throws Exception {
        Scenes.Set set = Scenes.redsAndBlues(8, 8);
        try (Classifier classifier = Classifier.create(torchScriptConfig())) {
            Map<String, float[]> before = classifier.parameterValues();
            try (ClassifierTrainer trainer = classifier.newTrainer(
                    ClassifierTrainerConfig.builder().optLearningRate(1e-3f).build())) {
                trainer.trainStep(set.images(), set.targets(), 1f);
            }
            Map<String, float[]> after = classifier.parameterValues();

            // module parameters (named by TorchScript, e.g. 0.weight) and the head all move
            assertThat(before).containsKey("01backbone_0.weight");
            for (String name : before.keySet()) {
                assertThat(after.get(name)).as(name).isNotEqualTo(before.get(name));
            }
        }
    }

    @Test
    void shouldEmbedTheTorchScriptModuleInTheCheckpoint() throws Exception {
        Path file = dir.resolve("ts.ckpt");
        String sha;
        ClassifierOutput expected;
        try (Classifier classifier = Classifier.create(torchScriptConfig())) {
            Scenes.Set set = Scenes.redsAndBlues(8, 9);
            try (ClassifierTrainer trainer = classifier.newTrainer(
                    ClassifierTrainerConfig.builder().optLearningRate(1e-3f).build())) {
                trainer.trainStep(set.images(), set.targets(), 0f);
            }
            sha = classifier.save(file);
            expected = classifier.forwardWithCam(ClassifierTest.images(3));
        }

        try (Classifier loaded = Classifier.load(file, sha)) {
            ClassifierOutput actual = loaded.forwardWithCam(ClassifierTest.images(3));

            assertThat(loaded.config().backbone()).isEqualTo(Backbone.torchScript(Path.of("tiny-backbone.pt")));
            for (int i = 0; i < 3; i++) {
                assertThat(actual.logits()[i]).containsExactly(expected.logits()[i], within(1e-6f));
            }
        }
    }

    @Test
    void shouldRefuseATorchScriptBackboneThatIsNotAFile() {
        ClassifierConfig config = Scenes.tinyConfig()
                .optBackbone(Backbone.torchScript(dir.resolve("missing.pt")))
                .build();

        assertThatThrownBy(() -> Classifier.create(config))
                .isInstanceOf(ClassifierException.class)
                .hasMessageContaining("missing.pt");
    }

    @Test
    void shouldRefuseATorchScriptFileThatIsNotAModule() throws Exception {
        Path file = Files.writeString(dir.resolve("garbage.pt"), "not a TorchScript archive");
        ClassifierConfig config =
                Scenes.tinyConfig().optBackbone(Backbone.torchScript(file)).build();

        assertThatThrownBy(() -> Classifier.create(config))
                .isInstanceOf(ClassifierException.class)
                .hasMessageContaining("garbage.pt");
    }

    private static ClassifierConfig torchScriptConfig() throws URISyntaxException {
        Path module = Path.of(
                BackbonesTest.class.getResource("/classifier/tiny-backbone.pt").toURI());
        return Scenes.tinyConfig().optBackbone(Backbone.torchScript(module)).build();
    }
}
