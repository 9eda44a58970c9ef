package io.ccdstream.streams.labeler;

import static org.assertj.core.api.Assertions.assertThat;

import io.ccdstream.method.ccd.Debias;
import io.ccdstream.method.ccd.Mix;
import io.ccdstream.schemas.Bias;
import io.ccdstream.schemas.ClassSetKey;
import io.ccdstream.schemas.ClassVerdict;
import io.ccdstream.schemas.ImageKey;
import io.ccdstream.schemas.Label;
import io.ccdstream.schemas.LabelStage;
import io.ccdstream.schemas.Review;
import io.ccdstream.schemas.Scores;
import io.ccdstream.schemas.Verdict;
import io.ccdstream.streams.TestRecords;
import io.ccdstream.streams.TopologyTestSupport;
import io.ccdstream.streams.metrics.PipelineMetrics;
import io.ccdstream.topics.CcdTopics;
import io.ccdstream.topics.DeadLetters;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TestOutputTopic;
import org.apache.kafka.streams.TopologyTestDriver;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class ReviewTopologyTest {

    private TopologyTestSupport support;
    private TopologyTestDriver driver;
    private TestInputTopic<ImageKey, Scores> scores;
    private TestInputTopic<ImageKey, Review> reviews;
    private TestInputTopic<ClassSetKey, Bias> bias;
    private TestOutputTopic<ImageKey, Label> labels;
    private TestOutputTopic<byte[], byte[]> deadLetters;

    @BeforeEach
    void setUp() {
        support = new TopologyTestSupport();
        ClassNames names =
                id -> id.equals(TestRecords.CLASS_SET) ? Optional.of(List.of("cat", "dog", "car")) : Optional.empty();
        LabelMaker maker = new LabelMaker(names, new Debias(0.05f), new Mix(0.4f));
        driver = support.driver(
                LabelerTopology.build(
                        support.serdes,
                        maker,
                        new LabelerSettings(Duration.ofSeconds(5), 0.05f),
                        new PipelineMetrics(new SimpleMeterRegistry())),
                LabelerTopology.SERVICE);
        scores = driver.createInputTopic(
                CcdTopics.SCORES.name(),
                CcdTopics.SCORES.keySerde(support.serdes).serializer(),
                CcdTopics.SCORES.valueSerde(support.serdes).serializer());
        reviews = driver.createInputTopic(
                CcdTopics.REVIEWS.name(),
                CcdTopics.REVIEWS.keySerde(support.serdes).serializer(),
                CcdTopics.REVIEWS.valueSerde(support.serdes).serializer());
        bias = driver.createInputTopic(
                CcdTopics.BIAS.name(),
                CcdTopics.BIAS.keySerde(support.serdes).serializer(),
                CcdTopics.BIAS.valueSerde(support.serdes).serializer());
        labels = driver.createOutputTopic(
                CcdTopics.LABELS.name(),
                CcdTopics.LABELS.keySerde(support.serdes).deserializer(),
                CcdTopics.LABELS.valueSerde(support.serdes).deserializer());
        deadLetters = driver.createOutputTopic(
                CcdTopics.DEAD_LETTERS, new ByteArrayDeserializer(), new ByteArrayDeserializer());
    }

    @AfterEach
    void tearDown() {
        driver.close();
        support.close();
    }

    static Review review(String imageId, String reviewer, Object... classAndVerdict) {
        List<ClassVerdict> verdicts = new ArrayList<>();
        for (int i = 0; i < classAndVerdict.length; i += 2) {
            verdicts.add(new ClassVerdict((String) classAndVerdict[i], (Verdict) classAndVerdict[i + 1]));
        }
        return Review.newBuilder()
                .setImageId(imageId)
                .setClassSetId(TestRecords.CLASS_SET)
                .setVerdicts(verdicts)
                .setReviewer(reviewer)
                .setReviewedAt(Instant.parse("2026-12-05T10:00:00Z"))
                .build();
    }

    @Test
    void shouldTurnAReviewIntoAVerifiedLabelThatKeepsUnreviewedClasses() {
        // Given an image labelled "car" above all
        scores.pipeInput(TestRecords.key("a"), TestRecords.scores("a", List.of(0.3f, 0.3f, 0.4f)));
        Label pseudo = labels.readValue();

        // When a person says: a cat, no car; dog unsure
        reviews.pipeInput(
                TestRecords.key("a"),
                review("a", "ann", "cat", Verdict.PRESENT, "car", Verdict.ABSENT, "dog", Verdict.UNSURE));

        // Then
        Label verified = labels.readValue();
        assertThat(verified.getStage()).isEqualTo(LabelStage.VERIFIED);
        assertThat(verified.getScores()).containsExactly(1f, pseudo.getScores().get(1), 0f);
        assertThat(verified.getReviewedClasses()).containsExactly("cat", "car");
        assertThat(verified.getReviewedBy()).isEqualTo("ann");
        assertThat(verified.getGlobal()).isEqualTo(pseudo.getGlobal());
    }

    @Test
    void shouldKeepTheVerdictsWhenTheImageIsScoredAgainOrTheBiasMoves() {
        scores.pipeInput(TestRecords.key("a"), TestRecords.scores("a", List.of(0.3f, 0.3f, 0.4f)));
        reviews.pipeInput(TestRecords.key("a"), review("a", "ann", "car", Verdict.ABSENT));
        labels.readRecordsToList();

        // a re-score with local views, then a bias move that recomputes every label
        scores.pipeInput(
                TestRecords.key("a"),
                TestRecords.refined("a", List.of(0.3f, 0.3f, 0.4f), List.of(0.1f, 0.1f, 0.8f), 2, 1L));
        bias.pipeInput(new ClassSetKey(TestRecords.CLASS_SET), bias(1, 0.5f, 0.5f, 0.5f));
        driver.advanceWallClockTime(Duration.ofSeconds(6));

        List<Label> later = labels.readValuesToList();
        assertThat(later).hasSize(2);
        assertThat(later).allSatisfy(l -> {
            assertThat(l.getStage()).isEqualTo(LabelStage.VERIFIED);
            assertThat(l.getScores().get(2)).isZero();
        });
        assertThat(later.get(1).getBiasVersion()).isEqualTo(1L);
    }

    @Test
    void shouldLetTheLaterReviewWinAndATombstoneWithdrawIt() {
        scores.pipeInput(TestRecords.key("a"), TestRecords.scores("a", List.of(0.3f, 0.3f, 0.4f)));
        reviews.pipeInput(TestRecords.key("a"), review("a", "ann", "dog", Verdict.ABSENT));
        reviews.pipeInput(TestRecords.key("a"), review("a", "bob", "dog", Verdict.PRESENT));
        List<Label> out = labels.readValuesToList();
        assertThat(out.get(2).getScores().get(1)).isEqualTo(1f);
        assertThat(out.get(2).getReviewedBy()).isEqualTo("bob");

        reviews.pipeInput(TestRecords.key("a"), (Review) null);
        Label back = labels.readValue();
        assertThat(back.getStage()).isEqualTo(LabelStage.INITIAL);
        assertThat(back.getScores()).isEqualTo(out.get(0).getScores());
    }

    @Test
    void shouldLeaveTheLabelAsItIsWhenEveryVerdictIsUnsure() {
        scores.pipeInput(TestRecords.key("a"), TestRecords.scores("a", List.of(0.3f, 0.3f, 0.4f)));
        reviews.pipeInput(TestRecords.key("a"), review("a", "ann", "dog", Verdict.UNSURE));
        List<Label> out = labels.readValuesToList();
        assertThat(out.get(1).getStage()).isEqualTo(LabelStage.INITIAL);
        assertThat(out.get(1).getScores()).isEqualTo(out.get(0).getScores());
    }

    @Test
    void shouldRouteReviewsItCannotApplyToTheDeadLettersAndGoOn() {
        scores.pipeInput(TestRecords.key("a"), TestRecords.scores("a", List.of(0.3f, 0.3f, 0.4f)));
        labels.readRecordsToList();
        Review otherSet = review("a", "ann", "cat", Verdict.PRESENT);
        otherSet.setClassSetId("nobody");

        reviews.pipeInput(TestRecords.key("unknown"), review("unknown", "ann", "cat", Verdict.PRESENT));
        reviews.pipeInput(TestRecords.key("a"), review("a", "ann", "horse", Verdict.PRESENT));
        reviews.pipeInput(TestRecords.key("a"), review("a", "ann", "cat", Verdict.PRESENT, "cat", Verdict.ABSENT));
        reviews.pipeInput(new ImageKey("nobody", "a"), otherSet);
        reviews.pipeInput(TestRecords.key("a"), review("b", "ann", "cat", Verdict.PRESENT));
        reviews.pipeInput(TestRecords.key("a"), review("a", "ann", "cat", Verdict.PRESENT));

        assertThat(deadLetters.readRecordsToList())
                .extracting(r -> DeadLetters.header(r.headers(), DeadLetters.REASON))
                .containsExactly(
                        "UNKNOWN_IMAGE", "UNKNOWN_CLASS", "DUPLICATE_CLASS", "UNKNOWN_CLASS_SET", "KEY_MISMATCH");
        List<Label> out = labels.readValuesToList();
        assertThat(out).hasSize(1);
        assertThat(out.get(0).getStage()).isEqualTo(LabelStage.VERIFIED);
    }

    private static Bias bias(long version, float... values) {
        return Bias.newBuilder()
                .setClassSetId(TestRecords.CLASS_SET)
                .setVersion(version)
                .setBias(List.of(values[0], values[1], values[2]))
                .setTopOneSum(List.of(0d, 0d, 0d))
                .setTopOneCount(List.of(0L, 0L, 0L))
                .setSamples(10)
                .setEntropyThreshold(2.0)
                .setWindowStart(Instant.EPOCH)
                .setWindowEnd(Instant.EPOCH)
                .setUpdatedAt(Instant.now())
                .build();
    }
}
