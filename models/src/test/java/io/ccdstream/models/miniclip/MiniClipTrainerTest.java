package io.ccdstream.models.miniclip;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.ccdstream.data.synth.SynthScenes;
import io.ccdstream.method.image.ImageDecoder;
import io.ccdstream.method.image.RgbImage;
import io.ccdstream.models.clip.ClipModel;
import io.ccdstream.models.clip.ClipModelFormat;
import io.ccdstream.models.clip.MiniClipArchitecture;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A short training run on a tiny configuration: it learns, and what it saves reloads unchanged. */
class MiniClipTrainerTest {

    @TempDir
    static Path temp;

    private static Path modelDir;
    private static TrainingSummary summary;
    private static List<RgbImage> images;
    private static final List<String> TEXTS =
            List.of("a photo of the tomato", "the kite", "a cookie among the clutter");
    private static float[][] trainedImageEmbeddings;
    private static float[][] trainedTextEmbeddings;

    @BeforeAll
    static void trainTinyModel() throws Exception {
        MiniClipConfig config = MiniClipConfig.builder()
                .setSeed(3)
                .optSceneSize(64)
                .optImageSize(32)
                .optTrainImages(64)
                .optEpochs(6)
                .optBatchSize(16)
                .optLearningRate(3e-3f)
                .optEmbeddingDim(16)
                .optArchitecture(new MiniClipArchitecture(List.of(8, 16), 1, 0, 32))
                .build();
        modelDir = temp.resolve("tiny-mini-clip");
        ImageDecoder decoder = ImageDecoder.builder().build();
        SynthScenes scenes = new SynthScenes(99, 64, 0.1);
        images = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            images.add(decoder.decode(scenes.generate(i).png()).image());
        }
        try (MiniClipTrainer trainer = MiniClipTrainer.create(config, modelDir)) {
            summary = trainer.train(epoch -> {});
            trainer.save();
            trainedImageEmbeddings = trainer.encodeImages(images);
            trainedTextEmbeddings = trainer.encodeTexts(TEXTS);
        }
    }

    @Test
    void shouldReduceTheContrastiveLoss() {
        assertThat(summary.epochs()).hasSize(6);
        // chance level of a 16-pair batch is about ln 16 = 2.77 before duplicates are merged
        assertThat(summary.firstLoss()).isGreaterThan(1.5);
        assertThat(summary.lastLoss()).isLessThan(summary.firstLoss() * 0.9);
    }

    @Test
    void shouldReloadThroughTheClipFacadeWithIdenticalEmbeddings() throws Exception {
        try (ClipModel clip = ClipModel.load(modelDir)) {
            assertThat(clip.descriptor().format()).isEqualTo(ClipModelFormat.DJL_MINI_CLIP);
            assertThat(clip.descriptor().logitScale()).isEqualTo(summary.logitScale());

            float[][] imageEmbeddings = clip.encodeImages(images);
            float[][] textEmbeddings = clip.encodeTexts(TEXTS);

            for (int i = 0; i < images.size(); i++) {
                assertThat(imageEmbeddings[i]).containsExactly(trainedImageEmbeddings[i], within(1e-6f));
            }
            for (int i = 0; i < TEXTS.size(); i++) {
                assertThat(textEmbeddings[i]).containsExactly(trainedTextEmbeddings[i], within(1e-6f));
            }
            // a trained text encoder tells the prompts apart
            assertThat(textEmbeddings[0]).isNotEqualTo(textEmbeddings[1]);
        }
    }

    @Test
    void shouldListEveryWrittenFileForBundling() throws Exception {
        List<String> files = Files.readAllLines(modelDir.resolve(MiniClipTrainer.FILES_LIST));

        assertThat(files).containsExactlyInAnyOrder("clip.json", "mini-clip.params", "tokenizer.json", "training.json");
        for (String file : files) {
            assertThat(Files.size(modelDir.resolve(file))).as(file).isPositive();
        }
    }
}
