package io.ccdstream.models.classifier;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import io.ccdstream.method.image.RgbImage;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Trains a tiny classifier once on red-vs-blue squares (warm-up epochs with beta 0, then epochs
 * with the consistency term) and checks what training must achieve.
 */
class ClassifierTrainingTest {

    private static final int WARM_UP_EPOCHS = 4;
    private static final int EPOCHS = 8;

    private static Classifier classifier;
    private static final List<EpochSummary> EPOCH_SUMMARIES = new ArrayList<>();

    @BeforeAll
    static void train() throws ClassifierException {
        classifier = Classifier.create(Scenes.tinyConfig().build());
        Scenes.Set set = Scenes.redsAndBlues(96, 1);
        // the classes differ by hue only, so the strong view keeps the hue (a hue jitter of up to half
        // a turn would turn red squares blue and make the consistency term contradict the labels)
        ClassifierTrainerConfig fast = ClassifierTrainerConfig.builder()
                .optLearningRate(3e-3f)
                .optJitter(new ColorJitter(0.5f, 0.5f, 0.5f, 0f))
                .optSeed(2)
                .build();
        try (ClassifierTrainer trainer = classifier.newTrainer(fast)) {
            for (int epoch = 0; epoch < EPOCHS; epoch++) {
                float beta = epoch < WARM_UP_EPOCHS ? 0f : 1f;
                EPOCH_SUMMARIES.add(trainer.trainEpoch(set.images(), set.targets(), beta));
            }
        }
    }

    @AfterAll
    static void close() {
        classifier.close();
    }

    @Test
    void shouldReduceTheLossOverEpochs() {
        EpochSummary first = EPOCH_SUMMARIES.get(0);
        EpochSummary warmedUp = EPOCH_SUMMARIES.get(WARM_UP_EPOCHS - 1);
        EpochSummary last = EPOCH_SUMMARIES.get(EPOCHS - 1);

        // 96 images in batches of 16
        assertThat(first.steps()).isEqualTo(6);
        assertThat(first.images()).isEqualTo(96);
        assertThat(warmedUp.meanLoss()).isLessThan(first.meanLoss() / 3);
        // with beta = 1 the loss also holds the consistency term, at least the entropy of the
        // weak predictions, and it still falls below the first warm-up epoch's
        assertThat(last.meanLoss()).isLessThan(first.meanLoss() / 2);
    }

    @Test
    void shouldSeparateRedFromBlueOnNewImages() {
        Scenes.Set held = Scenes.redsAndBlues(24, 99);

        float[][] scores = classifier.predict(held.images());

        for (int i = 0; i < scores.length; i++) {
            int truth = held.targets()[i][0] == 1f ? 0 : 1;
            assertThat(scores[i][truth]).as("image %d, class %d", i, truth).isGreaterThan(0.8f);
            assertThat(scores[i][1 - truth])
                    .as("image %d, class %d", i, 1 - truth)
                    .isLessThan(0.2f);
        }
    }

    @Test
    void shouldPeakTheCamInTheQuadrantOfTheObject() {
        for (int quadrant = 0; quadrant < 4; quadrant++) {
            for (int colour = 0; colour < 2; colour++) {
                RgbImage image = Scenes.square(colour == 0 ? Scenes.RED : Scenes.BLUE, quadrant, 2, 2);

                float[][] cam = classifier.forwardWithCam(List.of(image)).cam(0, colour);

                // the 4x4 CAM: each quadrant of the image is a 2x2 block of cells
                int[] peak = argmax(cam);
                assertThat(peak[1] / 2 + 2 * (peak[0] / 2))
                        .as("class %d, square in quadrant %d", colour, quadrant)
                        .isEqualTo(quadrant);
            }
        }
    }

    @Test
    void shouldGiveTheHeadTenTimesTheBackboneLearningRate() throws ClassifierException {
        try (Classifier fresh = Classifier.create(Scenes.tinyConfig().build());
                ClassifierTrainer trainer = fresh.newTrainer(ClassifierTrainerConfig.builder()
                        .optLearningRate(1e-3f)
                        .optFlipProbability(0)
                        .build())) {
            Map<String, float[]> before = fresh.parameterValues();
            Scenes.Set set = Scenes.redsAndBlues(8, 3);

            trainer.trainStep(set.images(), set.targets(), 0f);

            // Adam's first step moves each weight by lr * g / (|g| + eps), i.e. by lr wherever the
            // gradient is not tiny: the largest change per tensor is its learning rate
            Map<String, float[]> after = fresh.parameterValues();
            List<String> head = fresh.headParameterNames();
            assertThat(head).hasSize(2);
            for (String name : before.keySet()) {
                if (name.contains("running")) {
                    continue;
                }
                float expected = head.contains(name) ? 1e-2f : 1e-3f;
                assertThat(maxAbsDifference(before.get(name), after.get(name)))
                        .as(name)
                        .isCloseTo(expected, within(expected * 0.01f));
            }
        }
    }

    @Test
    void shouldReachTheSameWeightsWithTheSameSeeds() throws ClassifierException {
        Scenes.Set set = Scenes.redsAndBlues(16, 4);
        Map<String, float[]> first = trainTwoSteps(set);
        Map<String, float[]> second = trainTwoSteps(set);

        for (String name : first.keySet()) {
            assertThat(second.get(name)).as(name).containsExactly(first.get(name), within(1e-6f));
        }
    }

    @Test
    void shouldNotLeakNativeArraysOverTrainingSteps() throws ClassifierException {
        try (Classifier fresh = Classifier.create(Scenes.tinyConfig().build());
                ClassifierTrainer trainer = fresh.newTrainer(ClassifierTrainerConfig.defaults())) {
            Scenes.Set set = Scenes.redsAndBlues(4, 5);
            trainer.trainStep(set.images(), set.targets(), 1f);
            trainer.trainStep(set.images(), set.targets(), 1f);
            int baseline = fresh.liveNativeArrays();

            for (int i = 0; i < 20; i++) {
                trainer.trainStep(set.images(), set.targets(), i % 2);
            }

            assertThat(fresh.liveNativeArrays()).isEqualTo(baseline);
            assertThat(trainer.steps()).isEqualTo(22);
        }
    }

    @Test
    void shouldRefuseTargetsOutsideZeroOne() throws ClassifierException {
        try (Classifier fresh = Classifier.create(Scenes.tinyConfig().build());
                ClassifierTrainer trainer = fresh.newTrainer(ClassifierTrainerConfig.defaults())) {
            List<RgbImage> one = List.of(Scenes.square(Scenes.RED, 0, 0, 0));

            assertThatThrownBy(() -> trainer.trainStep(one, new float[][] {{1.5f, 0f}}, 0f))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("[0, 1]");
            assertThatThrownBy(() -> trainer.trainStep(one, new float[][] {{1f}}, 0f))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("2 values");
        }
    }

    @Test
    void shouldAllowOneTrainerAtATime() throws ClassifierException {
        try (Classifier fresh = Classifier.create(Scenes.tinyConfig().build())) {
            ClassifierTrainer first = fresh.newTrainer(ClassifierTrainerConfig.defaults());

            assertThatThrownBy(() -> fresh.newTrainer(ClassifierTrainerConfig.defaults()))
                    .isInstanceOf(IllegalStateException.class)
                    .hasMessageContaining("open trainer");
            first.close();
            fresh.newTrainer(ClassifierTrainerConfig.defaults()).close();
        }
    }

    private static Map<String, float[]> trainTwoSteps(Scenes.Set set) throws ClassifierException {
        try (Classifier fresh = Classifier.create(Scenes.tinyConfig().build());
                ClassifierTrainer trainer = fresh.newTrainer(
                        ClassifierTrainerConfig.builder().optLearningRate(1e-3f).build())) {
            trainer.trainStep(set.images(), set.targets(), 1f);
            trainer.trainStep(set.images(), set.targets(), 1f);
            return fresh.parameterValues();
        }
    }

    private static int[] argmax(float[][] map) {
        int[] best = {0, 0};
        for (int y = 0; y < map.length; y++) {
            for (int x = 0; x < map[y].length; x++) {
                if (map[y][x] > map[best[0]][best[1]]) {
                    best = new int[] {y, x};
                }
            }
        }
        return best;
    }

    private static float maxAbsDifference(float[] a, float[] b) {
        float max = 0;
        for (int i = 0; i < a.length; i++) {
            max = Math.max(max, Math.abs(a[i] - b[i]));
        }
        return max;
    }
}
