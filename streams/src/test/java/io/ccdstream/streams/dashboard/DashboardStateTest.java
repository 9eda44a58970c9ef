package io.ccdstream.streams.dashboard;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.ccdstream.data.ImageRecords;
import io.ccdstream.method.active.ActiveSelection;
import io.ccdstream.method.active.SelectionStrategy;
import io.ccdstream.schemas.Bias;
import io.ccdstream.schemas.CamBox;
import io.ccdstream.schemas.Checkpoint;
import io.ccdstream.schemas.CheckpointMetrics;
import io.ccdstream.schemas.CheckpointPhase;
import io.ccdstream.schemas.ClassVerdict;
import io.ccdstream.schemas.GroundTruth;
import io.ccdstream.schemas.Label;
import io.ccdstream.schemas.LabelStage;
import io.ccdstream.schemas.Review;
import io.ccdstream.schemas.Scores;
import io.ccdstream.schemas.Verdict;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class DashboardStateTest {

    private static final String CS = "cs-test";
    private static final List<String> CLASSES = List.of("cat", "dog");

    private final DashboardState state = new DashboardState(CS, CLASSES);

    @Test
    void shouldShowAnImageWithItsBoxesAndGlobalBesideRefinedScores() {
        // Given an image with ground truth, its refined scores with a CAM box, and both labels
        state.image(image("a", "cat"));
        state.scores(scores("a", new CamBox(0, 0.8f, 1, 2, 30, 40)));
        state.label(label("a", LabelStage.INITIAL, 0.3f, 0.7f));
        state.label(label("a", LabelStage.REFINED, 0.8f, 0.2f));

        // Then
        DashboardState.Summary summary = state.summary();
        assertThat(summary.imagesSeen()).isEqualTo(1);
        assertThat(summary.imagesScored()).isEqualTo(1);
        assertThat(summary.initialLabels()).isEqualTo(1);
        assertThat(summary.refinedLabels()).isEqualTo(1);
        DashboardState.ImageView view = state.image("a").orElseThrow();
        assertThat(view.stage()).isEqualTo("REFINED");
        assertThat(view.hasImage()).isTrue();
        assertThat(view.width()).isEqualTo(64);
        assertThat(view.boxes()).containsExactly(new DashboardState.Box("cat", 0.8f, 1, 2, 30, 40));
        assertThat(view.top().get(0)).isEqualTo(new DashboardState.ClassScore("cat", 0.8f, 0.6f, 0.9f));
        assertThat(view.groundTruth()).containsExactly("cat");
        assertThat(state.imageBytes("a").orElseThrow().contentType()).isEqualTo("image/png");
        // the refined label's top class, counted once per image
        assertThat(summary.positivesPerClass()).containsExactly(1L, 0L);
    }

    @Test
    void shouldCountReScoresApartFromScoredImages() {
        // Given an image scored, then re-scored by a better checkpoint
        state.image(image("a", "cat"));
        state.scores(scores("a", new CamBox(0, 0.8f, 1, 2, 30, 40)));
        Scores again = scores("a", new CamBox(0, 0.9f, 2, 2, 30, 40));
        again.setRescore(true);
        again.setRescoredFrom(1L);
        state.scores(again);

        // Then it is one scored image and one re-score, and the view shows the newer boxes
        assertThat(state.summary().imagesScored()).isEqualTo(1);
        assertThat(state.summary().imagesRescored()).isEqualTo(1);
        assertThat(state.image("a").orElseThrow().boxes())
                .containsExactly(new DashboardState.Box("cat", 0.9f, 2, 2, 30, 40));
    }

    @Test
    void shouldComputeTheMapOfInitialAndRefinedLabelsAgainstGroundTruth() {
        // Given two images whose initial labels rank the classes the wrong way round, the refined ones right
        state.image(image("a", "cat"));
        state.image(image("b", "dog"));
        state.label(label("a", LabelStage.INITIAL, 0.1f, 0.9f));
        state.label(label("b", LabelStage.INITIAL, 0.9f, 0.1f));
        state.label(label("a", LabelStage.REFINED, 0.9f, 0.1f));
        state.label(label("b", LabelStage.REFINED, 0.1f, 0.9f));

        // Then each class's AP is 1/2 for the initial labels (its positive ranks second of two) and 1 refined
        DashboardState.Accuracy accuracy = state.summary().accuracy();
        assertThat(accuracy.initialImages()).isEqualTo(2);
        assertThat(accuracy.initialMap()).isCloseTo(50.0, within(1e-9));
        assertThat(accuracy.refinedImages()).isEqualTo(2);
        assertThat(accuracy.refinedMap()).isCloseTo(100.0, within(1e-9));
    }

    @Test
    void shouldHaveNoAccuracyWithoutGroundTruthAndIgnoreOtherClassSets() {
        state.image(ImageRecords.inline(CS, "a", new byte[] {1}, "image/png", null, Map.of()));
        state.label(label("a", LabelStage.INITIAL, 0.9f, 0.1f));
        state.image(ImageRecords.inline("other", "b", new byte[] {1}, "image/png", null, Map.of()));

        assertThat(state.summary().accuracy()).isNull();
        assertThat(state.summary().imagesSeen()).isEqualTo(1);
        assertThat(state.image("b")).isEmpty();
    }

    @Test
    void shouldKeepOnlyTheLatestImagesBytesAndDeadLetters() {
        int images = DashboardState.RECENT_IMAGES + 50;
        for (int i = 0; i < images; i++) {
            state.image(image("img-" + i, "cat"));
            state.label(label("img-" + i, LabelStage.INITIAL, 0.9f, 0.1f));
        }
        for (int i = 0; i < 30; i++) {
            state.deadLetter(new DashboardState.DeadLetter(
                    "bad-" + i, i % 3 == 0 ? "IMAGE_CORRUPT" : "DESERIALIZATION", "why", "ccd.images-0@" + i, null));
        }

        List<DashboardState.ImageView> recent = state.images(DashboardState.RECENT_IMAGES + 10);
        assertThat(recent).hasSize(DashboardState.RECENT_IMAGES);
        assertThat(recent.get(0).imageId()).isEqualTo("img-" + (images - 1));
        assertThat(state.image("img-0")).isEmpty();
        assertThat(recent.stream().filter(DashboardState.ImageView::hasImage)).hasSize(DashboardState.IMAGE_BYTES_KEPT);
        assertThat(state.summary().imagesSeen()).isEqualTo(images);
        DashboardState.DeadLetters letters = state.deadLetters();
        assertThat(letters.total()).isEqualTo(30);
        assertThat(letters.byReason())
                .containsExactly(Map.entry("DESERIALIZATION", 20L), Map.entry("IMAGE_CORRUPT", 10L));
        assertThat(letters.latest()).hasSize(DashboardState.LATEST_DEAD_LETTERS);
        assertThat(letters.latest().get(0).imageId()).isEqualTo("bad-29");
        // a labelled image keeps its bytes while as many new ones arrive unlabelled
        String last = "img-" + (images - 1);
        for (int i = 0; i < DashboardState.IMAGE_BYTES_KEPT - 1; i++) {
            state.image(image("new-" + i, "cat"));
        }
        state.label(label(last, LabelStage.REFINED, 0.9f, 0.1f));
        state.image(image("newest", "cat"));
        assertThat(state.imageBytes(last)).isPresent();
        assertThat(state.imageBytes("new-0")).isEmpty();
    }

    @Test
    void shouldSampleRatesAndLagAndKeepABoundedSeries() {
        Instant start = Instant.ofEpochSecond(1_000);
        state.sample(start, Map.of());
        for (int i = 0; i < 4; i++) {
            state.scores(scores("s" + i));
        }
        state.label(label("s0", LabelStage.INITIAL, 0.9f, 0.1f));
        state.sample(start.plusSeconds(2), Map.of("scorer", 7L));

        List<DashboardState.Point> series = state.series();
        assertThat(series).hasSize(2);
        assertThat(series.get(1).scoredPerSecond()).isEqualTo(2.0);
        assertThat(series.get(1).labelsPerSecond()).isEqualTo(0.5);
        assertThat(series.get(1).lag()).containsExactly(Map.entry("scorer", 7L));
        for (int i = 0; i < DashboardState.SERIES_POINTS; i++) {
            state.sample(start.plusSeconds(3 + i), Map.of());
        }
        assertThat(state.series()).hasSize(DashboardState.SERIES_POINTS);
    }

    @Test
    void shouldShowBiasHistoryAndTheCheckpointInstalledInTheScorer() {
        state.bias(bias(1, 0.5f, 1f));
        state.bias(bias(2, 0.6f, 0.9f));
        state.checkpoint(checkpoint(1));
        state.checkpoint(checkpoint(2));
        assertThat(state.summary().checkpointVersion()).isNull();

        state.installed(1, Instant.ofEpochMilli(5_000));
        state.installed(1, Instant.ofEpochMilli(9_000));

        assertThat(state.summary().biasVersion()).isEqualTo(2);
        assertThat(state.biasHistory())
                .extracting(DashboardState.BiasVersion::version)
                .containsExactly(1L, 2L);
        assertThat(state.summary().checkpointVersion()).isEqualTo(1);
        assertThat(state.checkpoints())
                .extracting(DashboardState.CheckpointView::version, DashboardState.CheckpointView::installedAt)
                .containsExactly(
                        org.assertj.core.groups.Tuple.tuple(1L, 5_000L), org.assertj.core.groups.Tuple.tuple(2L, null));
        assertThat(state.checkpoints().get(1).phase()).isEqualTo("REFINE");
        assertThat(state.checkpoints().get(1).trainLabelMap()).isEqualTo(42.0);
    }

    private static io.ccdstream.schemas.Image image(String id, String... truth) {
        return ImageRecords.inline(
                CS, id, new byte[] {1, 2, 3}, "image/png", new GroundTruth(List.of(truth), List.of()), Map.of());
    }

    @Test
    void shouldQueueTheMostUsefulUnreviewedImagesWithinItsCapacity() {
        DashboardState small =
                new DashboardState(CS, CLASSES, new ActiveSelection(SelectionStrategy.UNCERTAINTY, 0), 2);
        for (String id : List.of("sure", "unsure", "middling", "no-bytes", "verified")) {
            if (!id.equals("no-bytes")) {
                small.image(image(id, "cat"));
            }
        }
        small.label(label("sure", LabelStage.INITIAL, 0.99f, 0.01f));
        small.label(label("unsure", LabelStage.INITIAL, 0.5f, 0.5f));
        small.label(label("middling", LabelStage.INITIAL, 0.8f, 0.3f));
        small.label(label("no-bytes", LabelStage.INITIAL, 0.5f, 0.45f));
        small.label(label("verified", LabelStage.VERIFIED, 0.5f, 0.5f));

        // the least useful left when a more useful one came; no bytes or a person's answer: not queued
        assertThat(small.nextReview())
                .hasValueSatisfying(v -> assertThat(v.imageId()).isEqualTo("unsure"));
        assertThat(small.reviewStats().queued()).isEqualTo(2);
        assertThat(small.reviewImage("sure")).isEmpty();
        assertThat(small.reviewImage("middling")).isPresent();

        // a skip takes it out until its next label; a review for good, however often the image is labelled
        assertThat(small.skipReview("unsure")).isTrue();
        assertThat(small.nextReview())
                .hasValueSatisfying(v -> assertThat(v.imageId()).isEqualTo("middling"));
        small.review(Review.newBuilder()
                .setImageId("middling")
                .setClassSetId(CS)
                .setVerdicts(List.of(new ClassVerdict("cat", Verdict.PRESENT)))
                .setReviewer("ann")
                .setReviewedAt(Instant.now())
                .build());
        small.label(label("middling", LabelStage.REFINED, 0.5f, 0.5f));
        small.label(label("unsure", LabelStage.REFINED, 0.5f, 0.5f));
        assertThat(small.nextReview())
                .hasValueSatisfying(v -> assertThat(v.imageId()).isEqualTo("unsure"));
        assertThat(small.reviewStats()).satisfies(s -> {
            assertThat(s.queued()).isEqualTo(1);
            assertThat(s.answered()).isEqualTo(1);
            assertThat(s.skipped()).isEqualTo(1);
            assertThat(s.answersPerMinute()).isEqualTo(0.1);
        });
        assertThat(small.summary().verifiedLabels()).isEqualTo(1);
    }

    private static Scores scores(String id, CamBox... boxes) {
        return Scores.newBuilder()
                .setImageId(id)
                .setClassSetId(CS)
                .setModelId("m")
                .setImageWidth(64)
                .setImageHeight(48)
                .setGlobal(List.of(0.5f, 0.5f))
                .setBoxes(List.of(boxes))
                .setClipInferences(1 + boxes.length)
                .setScoredAt(Instant.ofEpochMilli(1_000))
                .build();
    }

    private static Label label(String id, LabelStage stage, float cat, float dog) {
        boolean refined = stage == LabelStage.REFINED;
        return Label.newBuilder()
                .setImageId(id)
                .setClassSetId(CS)
                .setClassNames(CLASSES)
                .setStage(stage)
                .setScores(List.of(cat, dog))
                .setGlobal(List.of(0.6f, 0.4f))
                .setLocal(refined ? List.of(0.9f, 0.1f) : null)
                .setAlpha(0.5f)
                .setModelId("m")
                .setClipInferences(refined ? 2 : 1)
                .setLabeledAt(Instant.ofEpochMilli(2_000))
                .build();
    }

    private static Bias bias(long version, float cat, float dog) {
        return Bias.newBuilder()
                .setClassSetId(CS)
                .setVersion(version)
                .setBias(List.of(cat, dog))
                .setTopOneSum(List.of(1.0, 1.0))
                .setTopOneCount(List.of(1L, 1L))
                .setSamples(10)
                .setEntropyThreshold(2.0)
                .setWindowStart(Instant.ofEpochMilli(0))
                .setWindowEnd(Instant.ofEpochMilli(1))
                .setUpdatedAt(Instant.ofEpochMilli(1))
                .build();
    }

    private static Checkpoint checkpoint(long version) {
        return Checkpoint.newBuilder()
                .setClassSetId(CS)
                .setVersion(version)
                .setPhase(version == 1 ? CheckpointPhase.WARMUP : CheckpointPhase.REFINE)
                .setArchitecture("small-cnn")
                .setLocation("file:/tmp/c")
                .setSha256("0".repeat(64))
                .setSizeBytes(1)
                .setCreatedAt(Instant.ofEpochMilli(4_000))
                .setMetrics(new CheckpointMetrics(42.0, 0.1, 10L, 2, null, 0, 0))
                .build();
    }
}
