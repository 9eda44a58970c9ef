package io.ccdstream.models.classifier;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import ai.djl.pytorch.jni.JniUtils;
import ai.djl.util.Utils;
import io.ccdstream.method.image.RgbImage;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Inference of an untrained small-CNN classifier: shapes, the CAM/logit relation, determinism. */
class ClassifierTest {

    private static Classifier classifier;

    @BeforeAll
    static void create() throws ClassifierException {
        classifier = Classifier.create(
                Scenes.tinyConfig().setClassNames(List.of("a", "b", "c")).build());
    }

    @AfterAll
    static void close() {
        classifier.close();
    }

    @Test
    void shouldReturnCamsOfShapeImagesClassesHeightWidth() {
        ClassifierOutput out = classifier.forwardWithCam(images(2));

        // three stride-2 stages: 32 / 8 = 4
        assertThat(out.size()).isEqualTo(2);
        assertThat(out.logits()).hasDimensions(2, 3);
        assertThat(out.scores()).hasDimensions(2, 3);
        assertThat(out.cams()).hasNumberOfRows(2);
        for (float[][][] perImage : out.cams()) {
            assertThat(perImage).hasNumberOfRows(3);
            for (float[][] map : perImage) {
                assertThat(map).hasDimensions(4, 4);
            }
        }
    }

    @Test
    void shouldGiveLogitsThatAreTheSpatialMeanOfTheCam() {
        ClassifierOutput out = classifier.forwardWithCam(images(3));

        for (int i = 0; i < out.size(); i++) {
            for (int c = 0; c < 3; c++) {
                assertThat(out.logits()[i][c]).isCloseTo(mean(out.cam(i, c)), within(1e-5f));
                assertThat(out.scores()[i][c]).isCloseTo(sigmoid(out.logits()[i][c]), within(1e-6f));
            }
        }
    }

    @Test
    void shouldScaleOnlyPositiveCamValues() throws ClassifierException {
        ClassifierOutput plain = classifier.forwardWithCam(images(2));
        try (Classifier scaled = Classifier.create(
                classifier.config().toBuilder().optCamScale(3f).build())) {
            ClassifierOutput out = scaled.forwardWithCam(images(2));

            int positives = 0;
            int negatives = 0;
            for (int i = 0; i < out.size(); i++) {
                assertThat(out.logits()[i]).containsExactly(plain.logits()[i], within(1e-6f));
                for (int c = 0; c < 3; c++) {
                    for (int y = 0; y < 4; y++) {
                        for (int x = 0; x < 4; x++) {
                            float before = plain.cam(i, c)[y][x];
                            float factor = before > 0 ? 3f : 1f;
                            assertThat(out.cam(i, c)[y][x]).isCloseTo(before * factor, within(1e-5f));
                            positives += before > 0 ? 1 : 0;
                            negatives += before < 0 ? 1 : 0;
                        }
                    }
                }
            }
            assertThat(positives).isPositive();
            assertThat(negatives).isPositive();
        }
    }

    @Test
    void shouldPredictTheScoresOfTheCamForward() {
        List<RgbImage> images = images(3);

        float[][] scores = classifier.predict(images);

        ClassifierOutput out = classifier.forwardWithCam(images);
        for (int i = 0; i < images.size(); i++) {
            assertThat(scores[i]).containsExactly(out.scores()[i], within(1e-6f));
        }
    }

    @Test
    void shouldGiveTheSameScoresInBatchesAndOneByOne() {
        // 20 images: one batch of 16 and one of 4
        List<RgbImage> images = images(20);

        float[][] batched = classifier.predict(images);

        assertThat(batched).hasNumberOfRows(20);
        for (int i : new int[] {0, 15, 16, 19}) {
            assertThat(batched[i]).containsExactly(classifier.predict(List.of(images.get(i)))[0], within(1e-5f));
        }
    }

    @Test
    void shouldResizeImagesOfAnySizeToTheInput() {
        RgbImage small = RgbImage.filled(32, 32, 0x336699);
        RgbImage large = RgbImage.filled(90, 50, 0x336699);

        float[][] scores = classifier.predict(List.of(small, large));

        assertThat(scores[1]).containsExactly(scores[0], within(1e-6f));
    }

    @Test
    void shouldInitialiseTheSameWeightsForTheSameSeed() throws ClassifierException {
        List<RgbImage> images = images(2);
        try (Classifier same = Classifier.create(classifier.config());
                Classifier other = Classifier.create(
                        classifier.config().toBuilder().optSeed(8).build())) {
            float[][] reference = classifier.predict(images);

            assertThat(same.predict(images)).isDeepEqualTo(reference);
            assertThat(other.predict(images)[0]).isNotEqualTo(reference[0]);
        }
    }

    @Test
    void shouldServeConcurrentCallersWithTheSameResults() throws Exception {
        List<RgbImage> images = images(6);
        ClassifierOutput reference = classifier.forwardWithCam(images);
        ExecutorService pool = Executors.newFixedThreadPool(4);
        try {
            List<Future<ClassifierOutput>> results = new ArrayList<>();
            for (int i = 0; i < 24; i++) {
                results.add(pool.submit(() -> classifier.forwardWithCam(images)));
            }
            for (Future<ClassifierOutput> result : results) {
                assertThat(result.get().logits()).isDeepEqualTo(reference.logits());
                assertThat(result.get().cams()).isDeepEqualTo(reference.cams());
            }
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void shouldRestoreTheCallingThreadsGradMode() throws Exception {
        // libtorch starts every new thread with autograd on; inference turns it off for the call only
        ExecutorService thread = Executors.newSingleThreadExecutor();
        try {
            boolean[] modes = thread.submit(() -> {
                        boolean before = JniUtils.isGradMode();
                        classifier.predict(images(1));
                        return new boolean[] {before, JniUtils.isGradMode()};
                    })
                    .get();

            assertThat(modes).containsExactly(true, true);
        } finally {
            thread.shutdownNow();
        }
    }

    @Test
    void shouldReturnNothingForNoImages() {
        assertThat(classifier.predict(List.of())).isEmpty();
        assertThat(classifier.forwardWithCam(List.of()).size()).isZero();
    }

    @Test
    void shouldNotLeakNativeArraysOverManyCalls() {
        List<RgbImage> images = images(4);
        for (int i = 0; i < 5; i++) {
            classifier.forwardWithCam(images);
        }
        int baseline = classifier.liveNativeArrays();

        for (int i = 0; i < 200; i++) {
            classifier.predict(images);
            classifier.forwardWithCam(images);
        }

        assertThat(classifier.liveNativeArrays()).isEqualTo(baseline);
    }

    @Test
    void shouldStayOffline() {
        classifier.predict(images(1));

        assertThat(Utils.isOfflineMode()).isTrue();
    }

    @Test
    void shouldRefuseCallsAfterClose() throws ClassifierException {
        Classifier own = Classifier.create(classifier.config());
        own.close();

        assertThatThrownBy(() -> own.predict(images(1)))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("closed");
    }

    @Test
    void shouldRefuseAConfigWithoutClasses() {
        assertThatThrownBy(() -> ClassifierConfig.builder().build())
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("setClassNames");
        assertThatThrownBy(() -> ClassifierConfig.builder()
                        .setClassNames(List.of("x", "x"))
                        .build())
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("distinct");
    }

    static List<RgbImage> images(int count) {
        List<RgbImage> images = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            images.add(Scenes.square(i % 2 == 0 ? Scenes.RED : Scenes.BLUE, i % 4, i % 5, (i / 2) % 5));
        }
        return images;
    }

    private static float mean(float[][] map) {
        double sum = 0;
        int n = 0;
        for (float[] row : map) {
            for (float v : row) {
                sum += v;
                n++;
            }
        }
        return (float) (sum / n);
    }

    private static float sigmoid(float x) {
        return (float) (1 / (1 + Math.exp(-x)));
    }
}
