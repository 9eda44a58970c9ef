package io.ccdstream.models.clip;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import ai.djl.util.Utils;
import com.fasterxml.jackson.databind.JsonNode;
import io.ccdstream.method.image.RgbImage;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The CLIP facade against test vectors computed in Python by make_tiny_clip.py. */
class ClipModelTest {

    private static ClipModel clip;
    private static JsonNode expected;
    private static float tolerance;

    @BeforeAll
    static void load() throws ClipModelException {
        clip = TinyClipFixture.sharedModel();
        expected = TinyClipFixture.expected();
        tolerance = (float) expected.get("tolerance").asDouble();
    }

    @Test
    void shouldTokeniseLikeThePythonReference() throws Exception {
        for (JsonNode prompt : expected.get("prompts")) {
            long[][] ids = clip.tokenIds(List.of(prompt.get("text").asText()));

            assertThat(ids[0])
                    .as(prompt.get("text").asText())
                    .containsExactly(TinyClipFixture.longs(prompt.get("tokenIds")));
        }
    }

    @Test
    void shouldEncodeTextsLikePython() {
        List<String> texts = new ArrayList<>();
        expected.get("prompts").forEach(p -> texts.add(p.get("text").asText()));

        float[][] embeddings = clip.encodeTexts(texts);

        for (int i = 0; i < texts.size(); i++) {
            assertThat(embeddings[i])
                    .as(texts.get(i))
                    .containsExactly(
                            TinyClipFixture.floats(
                                    expected.get("prompts").get(i).get("embedding")),
                            within(tolerance));
        }
    }

    @Test
    void shouldEncodeImagesLikePython() {
        List<RgbImage> images = fixtureImages();

        float[][] embeddings = clip.encodeImages(images);

        for (int i = 0; i < images.size(); i++) {
            JsonNode image = expected.get("images").get(i);
            assertThat(embeddings[i])
                    .as(image.get("name").asText())
                    .containsExactly(TinyClipFixture.floats(image.get("embedding")), within(tolerance));
        }
    }

    @Test
    void shouldReturnUnitLengthEmbeddings() {
        float[][] embeddings = clip.encodeImages(fixtureImages());

        for (float[] e : embeddings) {
            assertThat(Vectors.dot(e, e)).isCloseTo(1f, within(1e-5f));
        }
    }

    @Test
    void shouldEnsembleClassEmbeddingsLikePython() {
        for (JsonNode set : expected.get("classSets")) {
            ClassSet classSet = classSet(set);

            ClassSetEmbedding embedding = clip.textEmbeddings(classSet);

            for (int c = 0; c < classSet.size(); c++) {
                assertThat(embedding.weight(c))
                        .as(classSet + " class " + c)
                        .containsExactly(
                                TinyClipFixture.floats(set.get("textEmbeddings").get(c)), within(tolerance));
            }
        }
    }

    @Test
    void shouldScoreImagesWithProbabilitiesThatSumToOneAndMatchPython() {
        for (JsonNode set : expected.get("classSets")) {
            float[][] probabilities = clip.scoreImages(classSet(set), fixtureImages());

            for (int i = 0; i < probabilities.length; i++) {
                float sum = 0;
                for (float p : probabilities[i]) {
                    sum += p;
                }
                assertThat(sum).isCloseTo(1f, within(1e-5f));
                assertThat(probabilities[i])
                        .containsExactly(
                                TinyClipFixture.floats(set.get("probabilities").get(i)), within(tolerance));
            }
        }
    }

    @Test
    void shouldGiveTheSameResultsBatchedAndOneByOne() throws ClipModelException {
        List<RgbImage> images = fixtureImages();
        List<String> texts = List.of("a photo of the kite", "a gem", "tree tree tree", "a photo of the nut");
        try (ClipModel pairs = ClipModel.builder()
                .setModelDir(TinyClipFixture.modelDir())
                .optMaxBatchSize(2)
                .build()) {
            float[][] batchedImages = clip.encodeImages(images);
            float[][] pairedImages = pairs.encodeImages(images);
            float[][] batchedTexts = clip.encodeTexts(texts);
            float[][] pairedTexts = pairs.encodeTexts(texts);

            for (int i = 0; i < images.size(); i++) {
                float[] single = clip.encodeImages(List.of(images.get(i)))[0];
                assertThat(batchedImages[i]).containsExactly(single, within(1e-5f));
                assertThat(pairedImages[i]).containsExactly(single, within(1e-5f));
            }
            for (int i = 0; i < texts.size(); i++) {
                float[] single = clip.encodeTexts(List.of(texts.get(i)))[0];
                assertThat(batchedTexts[i]).containsExactly(single, within(1e-5f));
                assertThat(pairedTexts[i]).containsExactly(single, within(1e-5f));
            }
        }
    }

    @Test
    void shouldResizeImagesOfAnySizeToTheModelInput() {
        // a constant colour survives any resize, so a 64x48 red image must embed like the 32x32 one
        RgbImage red32 = fixtureImages().get(0);
        RgbImage red64x48 = RgbImage.filled(64, 48, red32.rgb(0, 0));

        float[][] embeddings = clip.encodeImages(List.of(red32, red64x48));

        assertThat(embeddings[1]).containsExactly(embeddings[0], within(1e-5f));
    }

    @Test
    void shouldReturnNothingForAnEmptyBatch() {
        assertThat(clip.encodeImages(List.of())).isEmpty();
        assertThat(clip.encodeTexts(List.of())).isEmpty();
    }

    @Test
    void shouldComputeEachClassSetEmbeddingOnce() {
        ClassSet classes = clip.classSet(List.of("tomato", "lime"));

        ClassSetEmbedding first = clip.textEmbeddings(classes);
        ClassSetEmbedding second = clip.textEmbeddings(clip.classSet(List.of("tomato", "lime")));

        assertThat(second).isSameAs(first);
        assertThat(classes.promptTemplates()).containsExactly("a photo of the {class}");
    }

    @Test
    void shouldRefuseAClassSetOfAnotherModel() {
        ClassSet foreign = ClassSet.of("some-other-clip", List.of("tomato"), List.of("a {class}"));

        assertThatThrownBy(() -> clip.textEmbeddings(foreign))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("some-other-clip");
    }

    @Test
    void shouldServeConcurrentCallersWithTheSameResults() throws Exception {
        ClassSet classes = clip.classSet(List.of("tomato", "lime", "ball"));
        List<RgbImage> images = fixtureImages();
        float[][] reference = clip.scoreImages(classes, images);
        ExecutorService pool = Executors.newFixedThreadPool(4);
        try {
            List<Future<float[][]>> results = new ArrayList<>();
            for (int i = 0; i < 40; i++) {
                results.add(pool.submit(() -> clip.scoreImages(classes, images)));
            }
            for (Future<float[][]> result : results) {
                float[][] p = result.get();
                for (int i = 0; i < p.length; i++) {
                    assertThat(p[i]).containsExactly(reference[i], within(1e-6f));
                }
            }
        } finally {
            pool.shutdownNow();
        }
        assertThat(clip.predictorCount()).isBetween(2, 2 + 2 * 4);
    }

    @Test
    void shouldStayOfflineWhileLoadingAndRunning() {
        clip.scoreImages(clip.classSet(List.of("gem", "nut")), fixtureImages());

        assertThat(System.getProperty("ai.djl.offline")).isEqualTo("true");
        assertThat(Utils.isOfflineMode()).isTrue();
        assertThat(TinyClipFixture.NETWORK_ATTEMPTS).isEmpty();
    }

    @Test
    void shouldRefuseCallsAfterClose() throws ClipModelException {
        ClipModel own = ClipModel.load(TinyClipFixture.modelDir());
        own.close();

        assertThatThrownBy(() -> own.encodeTexts(List.of("a kite")))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("closed");
    }

    private static ClassSet classSet(JsonNode set) {
        List<String> classes = new ArrayList<>();
        set.get("classes").forEach(c -> classes.add(c.asText()));
        List<String> templates = new ArrayList<>();
        set.get("templates").forEach(t -> templates.add(t.asText()));
        return ClassSet.of(clip.descriptor().modelId(), classes, templates);
    }

    private static List<RgbImage> fixtureImages() {
        List<RgbImage> images = new ArrayList<>();
        expected.get("images").forEach(i -> images.add(TinyClipFixture.image(i)));
        return images;
    }
}
