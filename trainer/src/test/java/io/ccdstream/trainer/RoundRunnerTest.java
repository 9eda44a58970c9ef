package io.ccdstream.trainer;

import static org.assertj.core.api.Assertions.assertThat;

import io.ccdstream.data.ImageRecords;
import io.ccdstream.data.synth.SynthClass;
import io.ccdstream.data.synth.SynthScene;
import io.ccdstream.data.synth.SynthScenes;
import io.ccdstream.method.metrics.LabelBinarisation;
import io.ccdstream.models.classifier.Classifier;
import io.ccdstream.models.classifier.ClassifierConfig;
import io.ccdstream.models.classifier.ClassifierTrainerConfig;
import io.ccdstream.models.classifier.TrainingTargets;
import io.ccdstream.schemas.CheckpointPhase;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A round on a training set that the input keeps filling while the round runs. */
class RoundRunnerTest {

    private static final String CLASS_SET = "round-test";
    private static final List<String> CLASSES = SynthClass.names();
    private static final SynthScenes SCENES = new SynthScenes(3, 32, 0.05);
    private static final int ROUND_IMAGES = 8;
    private static final int BATCH = 4;

    @TempDir
    Path dir;

    @Test
    void shouldCountLabelsThatArriveDuringARoundInTheStatus() throws Exception {
        // Given a round on 8 labelled images, and 8 more labelled images that arrive one per step
        TrainingSet set = TrainingSet.open(dir, CLASS_SET, CLASSES, 100);
        add(set, 0, ROUND_IMAGES);
        TrainerProgress progress = new TrainerProgress(set::size, set::trainableCount, () -> 0L);
        AtomicInteger arrived = new AtomicInteger(ROUND_IMAGES);
        RoundRunner runner = runner(set, progress, () -> addOne(set, arrived.getAndIncrement()));

        // When the round runs two epochs of two steps
        try (Classifier classifier = Classifier.create(classifierConfig())) {
            runner.run(classifier, warmup(set.trainable(), 2), 1);
        }

        // Then what arrived meanwhile is in the training set and its status
        TrainerStatus status = progress.status();
        assertThat(status.labelledImages()).isEqualTo(ROUND_IMAGES + 4);
        assertThat(status.trainingSetImages()).isEqualTo(ROUND_IMAGES + 4);
        assertThat(status.summary()).contains("training set 12 images, 12 labelled");
    }

    @Test
    void shouldKeepThePixelsOfTheRoundsImagesWhenTheyAreEvictedDuringIt() throws Exception {
        // Given a training set bounded to the round's 8 images, whose input brings 8 new ones during it
        TrainingSet set = TrainingSet.open(dir, CLASS_SET, CLASSES, ROUND_IMAGES);
        add(set, 0, ROUND_IMAGES);
        List<TrainingExample> round = set.trainable();
        TrainerProgress progress = new TrainerProgress(set::size, set::trainableCount, () -> 0L);
        AtomicInteger arrived = new AtomicInteger(ROUND_IMAGES);
        RoundRunner runner = runner(set, progress, () -> {
            for (int i = 0; i < ROUND_IMAGES / 2; i++) {
                addOne(set, arrived.getAndIncrement());
            }
        });

        // When the round runs (it reads every image again for the train-label mAP after its epoch)
        RoundResult result;
        try (Classifier classifier = Classifier.create(classifierConfig())) {
            result = runner.run(classifier, warmup(round, 1), 1);
        }

        // Then it finished, and the evicted images' pixels went once it had
        assertThat(result.trainMaps()).hasSize(1);
        assertThat(set.trainable()).extracting(TrainingExample::imageId).doesNotContainAnyElementsOf(ids(round));
        try (var files = Files.list(dir.resolve("pixels"))) {
            assertThat(files.count()).isEqualTo(ROUND_IMAGES);
        }
    }

    @Test
    void shouldTrainTowardsTheConfiguredTargets() throws Exception {
        TrainingSet set = TrainingSet.open(dir, CLASS_SET, CLASSES, 100);
        add(set, 0, ROUND_IMAGES);
        TrainerProgress progress = new TrainerProgress(set::size, set::trainableCount, () -> 0L);
        RoundRunner soft = runner(set, progress, () -> {});
        RoundRunner smoothed = new RoundRunner(
                set,
                optimiser(),
                TrainingTargets.LABEL_SMOOTHING,
                0.2f,
                LabelBinarisation.AT_LEAST_HALF,
                progress,
                () -> false,
                () -> {});

        RoundResult softResult;
        RoundResult smoothedResult;
        try (Classifier classifier = Classifier.create(classifierConfig())) {
            softResult = soft.run(classifier, warmup(set.trainable(), 1), 1);
        }
        try (Classifier classifier = Classifier.create(classifierConfig())) {
            smoothedResult = smoothed.run(classifier, warmup(set.trainable(), 1), 1);
        }

        // the same weights, images and order: only the targets differ, and so does the loss
        assertThat(smoothedResult.losses().get(0))
                .isNotEqualTo(softResult.losses().get(0));
    }

    @Test
    void shouldMeasureTheStartingWeightsOfARefinementRoundOnItsTargets() throws Exception {
        // Given a warmed-up classifier; the test labels' final scores equal their global ones
        TrainingSet set = TrainingSet.open(dir, CLASS_SET, CLASSES, 100);
        add(set, 0, ROUND_IMAGES);
        RoundRunner runner = runner(set, new TrainerProgress(set::size, set::trainableCount, () -> 0L), () -> {});
        try (Classifier classifier = Classifier.create(classifierConfig())) {
            RoundResult warmup = runner.run(classifier, warmup(set.trainable(), 1), 1);

            // When a refinement round starts from those weights on the same images
            RoundResult refine = runner.run(
                    classifier,
                    new TrainingRound(
                            CheckpointPhase.REFINE,
                            1,
                            set.trainable(),
                            false,
                            0f,
                            1,
                            true,
                            Double.NEGATIVE_INFINITY,
                            0),
                    2);

            // Then its baseline is the warm-up's last figure: same weights, images and targets
            assertThat(warmup.baselineMap())
                    .as("fresh weights are not measured")
                    .isNaN();
            assertThat(refine.baselineMap()).isEqualTo(warmup.keptTrainMap());
        }
    }

    @Test
    void shouldKeepTheEpochWithTheBestHeldOutMapAndScoreTheStartingWeightsOnTheSameSlice() throws Exception {
        // Given a slice of the first 8 images (every image is a candidate) and 8 training images
        TrainingSet set = TrainingSet.open(dir, CLASS_SET, CLASSES, 100, 1, ROUND_IMAGES);
        add(set, 0, 2 * ROUND_IMAGES);
        assertThat(set.heldOut()).hasSize(ROUND_IMAGES);
        assertThat(ids(set.trainable())).doesNotContainAnyElementsOf(ids(set.heldOut()));
        Path snapshot = dir.resolve("candidate.tmp");
        RoundRunner runner = new RoundRunner(
                set,
                optimiser(),
                TrainingTargets.SOFT,
                0.1f,
                LabelBinarisation.AT_LEAST_HALF,
                new TrainerProgress(set::size, set::trainableCount, () -> 0L),
                () -> false,
                () -> {},
                new HeldOutSignal(HeldOutSignal.PositiveRule.relative(0.5), 1, 4),
                snapshot,
                1f);
        try (Classifier classifier = Classifier.create(classifierConfig())) {
            RoundResult warmup = runner.run(classifier, warmup(set.trainable(), 1), 1);

            // When a refinement round of up to 4 epochs starts from those weights
            RoundResult refine = runner.run(
                    classifier,
                    new TrainingRound(
                            CheckpointPhase.REFINE,
                            1,
                            set.trainable(),
                            false,
                            0f,
                            4,
                            true,
                            Double.NEGATIVE_INFINITY,
                            0),
                    2);

            // Then the warm-up keeps its last epoch and records its held-out mAP; the refinement is compared
            // with the warm-up's weights on the same slice and keeps its best epoch
            assertThat(warmup.heldOutDecided()).isTrue();
            assertThat(warmup.keptEpoch()).isEqualTo(1);
            assertThat(refine.baselineHeldOut().map())
                    .isEqualTo(warmup.keptHeldOut().map());
            assertThat(refine.heldOut()).hasSizeBetween(1 + RoundRunner.PATIENCE, 4);
            double best = refine.heldOut().stream()
                    .mapToDouble(HeldOutSignal.Result::map)
                    .max()
                    .orElseThrow();
            assertThat(refine.keptHeldOut().map()).isEqualTo(best);
            assertThat(refine.heldOut().get(refine.keptEpoch() - 1).images()).isEqualTo(ROUND_IMAGES);
            if (refine.keptEpoch() < refine.heldOut().size()) {
                // an earlier epoch's weights were saved to the candidate file, and they score as it did
                assertThat(refine.keptSha256()).isNotNull();
                try (Classifier kept = Classifier.load(snapshot, refine.keptSha256())) {
                    List<TrainingExample> slice = set.heldOut();
                    float[][] labels =
                            slice.stream().map(e -> e.label().scores()).toArray(float[][]::new);
                    float[][] predictions =
                            kept.predict(slice.stream().map(e -> decode(set, e)).toList());
                    assertThat(new HeldOutSignal(HeldOutSignal.PositiveRule.relative(0.5), 1, 4)
                                    .evaluate(predictions, labels)
                                    .map())
                            .isCloseTo(best, org.assertj.core.api.Assertions.within(1e-6));
                }
            } else {
                assertThat(refine.keptSha256()).isNull();
            }
        }
    }

    private static io.ccdstream.method.image.RgbImage decode(TrainingSet set, TrainingExample example) {
        try {
            return io.ccdstream.method.image.ImageDecoder.builder()
                    .build()
                    .decode(set.pixels(example))
                    .image();
        } catch (IOException | io.ccdstream.method.image.ImageInputException e) {
            throw new IllegalStateException(e);
        }
    }

    @Test
    void shouldScaleTheLearningRateOfContinuousRoundsOnly() throws IOException {
        TrainingSet set = TrainingSet.open(dir, CLASS_SET, CLASSES, 100);
        RoundRunner runner = new RoundRunner(
                set,
                optimiser(),
                TrainingTargets.SOFT,
                0.1f,
                LabelBinarisation.AT_LEAST_HALF,
                new TrainerProgress(set::size, set::trainableCount, () -> 0L),
                () -> false,
                () -> {},
                null,
                null,
                0.3f);

        TrainingRound continuous =
                new TrainingRound(CheckpointPhase.CONTINUOUS, 2, List.of(), false, 1f, 3, true, 0.0, 0);

        assertThat(runner.optimiser(continuous).learningRate())
                .isCloseTo(3e-4f, org.assertj.core.api.Assertions.within(1e-9f));
        assertThat(runner.optimiser(continuous).batchSize()).isEqualTo(BATCH);
        assertThat(runner.optimiser(warmup(List.of(), 1)).learningRate()).isEqualTo(1e-3f);
    }

    private static RoundRunner runner(TrainingSet set, TrainerProgress progress, Runnable betweenSteps) {
        return new RoundRunner(
                set,
                optimiser(),
                TrainingTargets.SOFT,
                0.1f,
                LabelBinarisation.AT_LEAST_HALF,
                progress,
                () -> false,
                betweenSteps);
    }

    private static ClassifierTrainerConfig optimiser() {
        return ClassifierTrainerConfig.builder()
                .optBatchSize(BATCH)
                .optLearningRate(1e-3f)
                .build();
    }

    private static ClassifierConfig classifierConfig() {
        return ClassifierConfig.builder()
                .setClassNames(CLASSES)
                .optInputSize(32)
                .optSeed(5)
                .build();
    }

    private static TrainingRound warmup(List<TrainingExample> examples, int epochs) {
        return new TrainingRound(
                CheckpointPhase.WARMUP, 0, examples, true, 0f, epochs, false, Double.NEGATIVE_INFINITY, 0);
    }

    private static void add(TrainingSet set, int from, int count) throws IOException {
        for (int i = from; i < from + count; i++) {
            SynthScene scene = SCENES.generate(i);
            ByteBuffer data = ImageRecords.synth(scene, CLASS_SET).getData();
            byte[] bytes = new byte[data.remaining()];
            data.get(bytes);
            set.putImage(scene.id(), bytes);
            set.putLabel(scene.id(), StoredLabel.of(TestLabels.initial(scene, CLASS_SET, CLASSES)));
        }
    }

    private static void addOne(TrainingSet set, int index) {
        try {
            add(set, index, 1);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static List<String> ids(List<TrainingExample> examples) {
        return examples.stream().map(TrainingExample::imageId).toList();
    }
}
