package io.ccdstream.models.classifier;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import ai.djl.ndarray.NDManager;
import ai.djl.nn.Parameter;
import com.fasterxml.jackson.databind.JsonNode;
import io.ccdstream.models.BundledModels;
import io.ccdstream.models.clip.ClipModelDescriptor;
import io.ccdstream.models.clip.MiniClipBlock;
import io.ccdstream.models.djl.DjlRuntime;
import java.io.DataInputStream;
import java.io.InputStream;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The classifier backbone initialised from the bundled mini-CLIP's convolutional tower. */
class MiniClipBackboneTest {

    private static final int INPUT = 64;

    @TempDir
    Path dir;

    @Test
    void shouldTakeTheTowerLayoutFromTheBundledDescriptor() throws Exception {
        Backbone.MiniClip backbone = (Backbone.MiniClip) Backbone.bundledMiniClip();
        ClipModelDescriptor descriptor = backbone.descriptor();

        assertThat(backbone.widths()).isEqualTo(descriptor.architecture().imageWidths());
        assertThat(backbone.convsPerStage()).isEqualTo(descriptor.architecture().convsPerStage());
        assertThat(backbone.source()).isEqualTo(Backbone.MiniClip.BUNDLED);
    }

    @Test
    void shouldStartFromTheTrainedMiniClipWeights() throws Exception {
        Map<String, float[]> clip = bundledImageEncoder();
        try (Classifier classifier = Classifier.create(config())) {
            Map<String, float[]> values = classifier.parameterValues();

            // the tower's parameters come first in the image encoder, in the same order
            List<String> tower = values.keySet().stream()
                    .filter(n -> n.startsWith("01backbone_"))
                    .toList();
            List<String> source = List.copyOf(clip.keySet()).subList(0, tower.size());
            assertThat(tower).isNotEmpty();
            for (int i = 0; i < tower.size(); i++) {
                assertThat(values.get(tower.get(i)))
                        .as(tower.get(i) + " from " + source.get(i))
                        .isEqualTo(clip.get(source.get(i)));
            }
            assertThat(values.get("01backbone_02BatchNorm_runningVar"))
                    .as("trained statistics, not the initial ones")
                    .isNotEqualTo(new float[values.get("01backbone_02BatchNorm_runningVar").length]);
        }
    }

    @Test
    void shouldStartFromTheTrainedWeightsOnAThreadOfItsOwn() throws Exception {
        // the trainer creates its classifier on its own thread, where libtorch's grad mode is on
        Map<String, float[]> clip = bundledImageEncoder();
        java.util.concurrent.atomic.AtomicReference<Object> outcome =
                new java.util.concurrent.atomic.AtomicReference<>();
        Thread thread = new Thread(() -> {
            try (Classifier classifier = Classifier.create(config())) {
                outcome.set(classifier.parameterValues().get("01backbone_01Conv2d_weight"));
            } catch (Exception | Error e) {
                outcome.set(e);
            }
        });
        thread.start();
        thread.join();

        assertThat(outcome.get()).isInstanceOf(float[].class);
        assertThat((float[]) outcome.get()).isEqualTo(clip.values().iterator().next());
    }

    @Test
    void shouldGiveACamAtTheTowersOutputSide() throws Exception {
        try (Classifier classifier = Classifier.create(config())) {
            ClassifierOutput out = classifier.forwardWithCam(ClassifierTest.images(2));

            int side =
                    INPUT >> ((Backbone.MiniClip) config().backbone()).widths().size();
            assertThat(out.cam(1, 1)).hasDimensions(side, side);
            assertThat(out.logits()).hasDimensions(2, 2);
        }
    }

    @Test
    void shouldWriteTheTowerIntoTheCheckpointAndLoadIt() throws Exception {
        Path file = dir.resolve("mini-clip.ckpt");
        String sha;
        ClassifierOutput expected;
        try (Classifier classifier = Classifier.create(config())) {
            Scenes.Set set = Scenes.redsAndBlues(8, 3);
            try (ClassifierTrainer trainer = classifier.newTrainer(
                    ClassifierTrainerConfig.builder().optLearningRate(1e-3f).build())) {
                trainer.trainStep(set.images(), set.targets(), 0f);
            }
            sha = classifier.save(file);
            expected = classifier.forwardWithCam(ClassifierTest.images(3));
        }
        JsonNode backbone = ClassifierCheckpoint.header(config()).get("backbone");

        try (Classifier loaded = Classifier.load(file, sha)) {
            ClassifierOutput actual = loaded.forwardWithCam(ClassifierTest.images(3));

            assertThat(backbone.get("type").asText()).isEqualTo("mini-clip");
            assertThat(backbone.get("source").asText()).isEqualTo("bundled");
            assertThat(loaded.config().backbone()).isEqualTo(config().backbone());
            for (int i = 0; i < 3; i++) {
                assertThat(actual.logits()[i]).containsExactly(expected.logits()[i], within(1e-6f));
            }
        }
    }

    @Test
    void shouldTrainOnlyTheHeadWithAFrozenBackbone() throws Exception {
        Scenes.Set set = Scenes.redsAndBlues(8, 4);
        try (Classifier classifier = Classifier.create(config())) {
            Map<String, float[]> before = classifier.parameterValues();
            try (ClassifierTrainer trainer = classifier.newTrainer(ClassifierTrainerConfig.builder()
                    .optLearningRate(1e-2f)
                    .optFreezeBackbone(true)
                    .build())) {
                trainer.trainStep(set.images(), set.targets(), 1f);
                trainer.trainStep(set.images(), set.targets(), 1f);
            }
            Map<String, float[]> frozen = classifier.parameterValues();
            try (ClassifierTrainer trainer = classifier.newTrainer(
                    ClassifierTrainerConfig.builder().optLearningRate(1e-2f).build())) {
                trainer.trainStep(set.images(), set.targets(), 0f);
            }
            Map<String, float[]> after = classifier.parameterValues();

            assertThat(frozen.get("01backbone_01Conv2d_weight")).isEqualTo(before.get("01backbone_01Conv2d_weight"));
            assertThat(frozen.get("01backbone_02BatchNorm_gamma"))
                    .isEqualTo(before.get("01backbone_02BatchNorm_gamma"));
            assertThat(frozen.get("02head_weight")).isNotEqualTo(before.get("02head_weight"));
            assertThat(after.get("01backbone_01Conv2d_weight"))
                    .as("trainable again once the frozen trainer is closed")
                    .isNotEqualTo(frozen.get("01backbone_01Conv2d_weight"));
        }
    }

    @Test
    void shouldRefuseADirectoryWithoutAMiniClip() {
        assertThatThrownBy(() -> Backbone.miniClip(dir))
                .isInstanceOf(ClassifierException.class)
                .hasMessageContaining(dir.toString());
    }

    private static ClassifierConfig config() throws ClassifierException {
        Backbone.MiniClip backbone = (Backbone.MiniClip) Backbone.bundledMiniClip();
        ClipModelDescriptor descriptor = backbone.descriptor();
        return Scenes.tinyConfig()
                .optBackbone(backbone)
                .optInputSize(INPUT)
                .optMean(descriptor.mean())
                .optStd(descriptor.std())
                .build();
    }

    /** The image encoder's parameter values of the bundled mini-CLIP, loaded independently. */
    private static Map<String, float[]> bundledImageEncoder() throws Exception {
        ClipModelDescriptor descriptor = ((Backbone.MiniClip) Backbone.bundledMiniClip()).descriptor();
        MiniClipBlock block =
                new MiniClipBlock(descriptor.architecture(), descriptor.embeddingDim(), descriptor.padTokenId());
        Map<String, float[]> values = new LinkedHashMap<>();
        try (NDManager manager = NDManager.newBaseManager(DjlRuntime.PYTORCH);
                InputStream in = BundledModels.open(BundledModels.DEFAULT, descriptor.modelFile())) {
            block.loadParameters(manager, new DataInputStream(in));
            for (var entry : block.imageEncoder().getParameters()) {
                Parameter p = entry.getValue();
                values.put(entry.getKey(), p.getArray().toFloatArray());
            }
        }
        return values;
    }
}
