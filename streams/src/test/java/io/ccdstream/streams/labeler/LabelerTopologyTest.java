package io.ccdstream.streams.labeler;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.ccdstream.method.ccd.Debias;
import io.ccdstream.method.ccd.Mix;
import io.ccdstream.schemas.Bias;
import io.ccdstream.schemas.ClassSetKey;
import io.ccdstream.schemas.ImageKey;
import io.ccdstream.schemas.Label;
import io.ccdstream.schemas.LabelStage;
import io.ccdstream.schemas.Scores;
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
import java.util.Map;
import java.util.Optional;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TestOutputTopic;
import org.apache.kafka.streams.TopologyTestDriver;
import org.apache.kafka.streams.state.KeyValueStore;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class LabelerTopologyTest {

    private static final LabelerSettings SETTINGS = new LabelerSettings(Duration.ofSeconds(5), 0.05f);

    private TopologyTestSupport support;
    private TopologyTestDriver driver;
    private TestInputTopic<ImageKey, Scores> scores;
    private TestInputTopic<ClassSetKey, Bias> bias;
    private TestOutputTopic<ImageKey, Label> labels;
    private TestOutputTopic<byte[], byte[]> deadLetters;

    @BeforeEach
    void setUp() {
        support = new TopologyTestSupport();
        ClassNames names =
                id -> id.equals(TestRecords.CLASS_SET) ? Optional.of(List.of("cat", "dog", "car")) : Optional.empty();
        start(new LabelMaker(names, new Debias(0.05f), new Mix(0.4f)), SETTINGS);
    }

    /** (Re)starts the driver on a labeler with {@code maker} and {@code settings}. */
    private void start(LabelMaker maker, LabelerSettings settings) {
        if (driver != null) {
            driver.close();
        }
        driver = support.driver(
                LabelerTopology.build(support.serdes, maker, settings, new PipelineMetrics(new SimpleMeterRegistry())),
                LabelerTopology.SERVICE);
        scores = driver.createInputTopic(
                CcdTopics.SCORES.name(),
                CcdTopics.SCORES.keySerde(support.serdes).serializer(),
                CcdTopics.SCORES.valueSerde(support.serdes).serializer());
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
                // published now: the driver's wall clock starts at the system time
                .setUpdatedAt(Instant.now())
                .build();
    }

    @Test
    void shouldLabelGlobalScoresWithFloorWhileNoBiasIsKnown() {
        scores.pipeInput(TestRecords.key("a"), TestRecords.scores("a", List.of(0.01f, 0.19f, 0.8f)));

        Label label = labels.readValue();
        assertThat(label.getStage()).isEqualTo(LabelStage.INITIAL);
        assertThat(label.getClassNames()).containsExactly("cat", "dog", "car");
        // floor 0.05 lifts the first class; bias 1 leaves the others (ALGORITHM.md section 2)
        assertThat(label.getScores()).containsExactly(0.05f, 0.19f, 0.8f);
        assertThat(label.getBiasVersion()).isNull();
    }

    @Test
    void shouldDebiasWithTheCurrentBiasOfTheClassSet() {
        bias.pipeInput(new ClassSetKey(TestRecords.CLASS_SET), bias(4, 0.5f, 0.5f, 0.9f));
        scores.pipeInput(TestRecords.key("a"), TestRecords.scores("a", List.of(0.01f, 0.19f, 0.8f)));

        Label label = labels.readValue();
        // 0.05/0.5 = 0.1, 0.19/0.5 = 0.38, 0.8/0.9 = 0.888...
        assertThat(label.getScores().get(0)).isCloseTo(0.1f, within(1e-6f));
        assertThat(label.getScores().get(1)).isCloseTo(0.38f, within(1e-6f));
        assertThat(label.getScores().get(2)).isCloseTo(0.8f / 0.9f, within(1e-6f));
        assertThat(label.getBiasVersion()).isEqualTo(4L);
    }

    @Test
    void shouldMixLocalScoresIntoARefinedLabel() {
        Scores refined = TestRecords.refined("a", List.of(0.01f, 0.19f, 0.8f), List.of(0.9f, 0.02f, 0.08f), 2, 3L);
        scores.pipeInput(TestRecords.key("a"), refined);

        Label label = labels.readValue();
        assertThat(label.getStage()).isEqualTo(LabelStage.REFINED);
        assertThat(label.getLocalViews()).isEqualTo(2);
        assertThat(label.getCheckpointVersion()).isEqualTo(3L);
        // 0.4 * 0.05 + 0.6 * 0.9 = 0.56
        assertThat(label.getScores().get(0)).isCloseTo(0.56f, within(1e-6f));
    }

    @Test
    void shouldKeepTheGlobalLabelAsInitialWhenTheClassifierSelectedNoCrop() {
        // Given scores the checkpoint examined without selecting any crop: local all zeros, no box
        Scores examined = TestRecords.refined("a", List.of(0.01f, 0.19f, 0.8f), List.of(0f, 0f, 0f), 0, 3L);

        // When
        scores.pipeInput(TestRecords.key("a"), examined);

        // Then the label is the global view's, stage INITIAL, and says which checkpoint examined it
        Label label = labels.readValue();
        assertThat(label.getStage()).isEqualTo(LabelStage.INITIAL);
        assertThat(label.getLocalViews()).isZero();
        assertThat(label.getLocal()).isNull();
        assertThat(label.getScores()).containsExactly(0.05f, 0.19f, 0.8f);
        assertThat(label.getScores()).isEqualTo(label.getGlobal());
        assertThat(label.getCheckpointVersion()).isEqualTo(3L);
    }

    @Test
    void shouldMixRawProbabilitiesAndNeverRelabelWithoutDebiasing() {
        ClassNames names = id -> Optional.of(List.of("cat", "dog", "car"));
        start(LabelMaker.withoutDebias(names, new Mix(0.4f)), SETTINGS.withDebias(false));
        bias.pipeInput(new ClassSetKey(TestRecords.CLASS_SET), bias(4, 0.5f, 0.5f, 0.9f));
        Scores refined = TestRecords.refined("a", List.of(0.01f, 0.19f, 0.8f), List.of(0.9f, 0.02f, 0.08f), 1, 1L);
        scores.pipeInput(TestRecords.key("a"), refined);

        Label label = labels.readValue();
        // neither bias nor floor: 0.4 * 0.01 + 0.6 * 0.9 = 0.544; 0.4 * 0.8 + 0.6 * 0.08 = 0.368
        assertThat(label.getGlobal()).containsExactly(0.01f, 0.19f, 0.8f);
        assertThat(label.getScores().get(0)).isCloseTo(0.544f, within(1e-6f));
        assertThat(label.getScores().get(2)).isCloseTo(0.368f, within(1e-6f));
        assertThat(label.getBiasVersion()).isNull();
        bias.pipeInput(new ClassSetKey(TestRecords.CLASS_SET), bias(5, 0.2f, 0.2f, 0.2f));
        driver.advanceWallClockTime(Duration.ofSeconds(30));
        assertThat(labels.isEmpty()).isTrue();
    }

    @Test
    void shouldRecomputeLabelsFromRawScoresWhenTheBiasMoves() {
        scores.pipeInput(TestRecords.key("a"), TestRecords.scores("a", List.of(0.01f, 0.19f, 0.8f)));
        scores.pipeInput(TestRecords.key("b"), TestRecords.scores("b", List.of(0.3f, 0.3f, 0.4f)));
        labels.readRecordsToList();

        // a bias close to 1 everywhere: not worth recomputing
        bias.pipeInput(new ClassSetKey(TestRecords.CLASS_SET), bias(1, 0.98f, 0.99f, 1f));
        driver.advanceWallClockTime(Duration.ofSeconds(6));
        assertThat(labels.isEmpty()).isTrue();

        // a real move: every label of the class set is recomputed with version 2
        bias.pipeInput(new ClassSetKey(TestRecords.CLASS_SET), bias(2, 0.5f, 0.5f, 0.8f));
        driver.advanceWallClockTime(Duration.ofSeconds(6));
        List<Label> relabelled = labels.readValuesToList();
        assertThat(relabelled).extracting(Label::getImageId).containsExactlyInAnyOrder("a", "b");
        assertThat(relabelled).allSatisfy(l -> assertThat(l.getBiasVersion()).isEqualTo(2L));
        Label b = relabelled.stream()
                .filter(l -> l.getImageId().equals("b"))
                .findFirst()
                .orElseThrow();
        assertThat(b.getScores().get(0)).isCloseTo(0.6f, within(1e-6f));
        KeyValueStore<ImageKey, Label> store = driver.getKeyValueStore(LabelerTopology.LABEL_STORE);
        assertThat(store.get(TestRecords.key("b")).getBiasVersion()).isEqualTo(2L);

        // nothing more to do until the bias moves again
        driver.advanceWallClockTime(Duration.ofSeconds(6));
        assertThat(labels.isEmpty()).isTrue();
    }

    @Test
    void shouldConvergeToASmallLastMoveOnceItHasSettled() {
        // Given labels recomputed with a large move (version 2)
        scores.pipeInput(TestRecords.key("a"), TestRecords.scores("a", List.of(0.01f, 0.19f, 0.8f)));
        scores.pipeInput(TestRecords.key("b"), TestRecords.scores("b", List.of(0.3f, 0.3f, 0.4f)));
        bias.pipeInput(new ClassSetKey(TestRecords.CLASS_SET), bias(2, 0.5f, 0.5f, 0.8f));
        driver.advanceWallClockTime(Duration.ofSeconds(6));
        labels.readRecordsToList();

        // When a newer version moves by less than the minimum change
        bias.pipeInput(new ClassSetKey(TestRecords.CLASS_SET), bias(3, 0.52f, 0.5f, 0.8f));
        driver.advanceWallClockTime(Duration.ofSeconds(6));

        // Then it waits while the bias may still move
        assertThat(labels.isEmpty()).isTrue();

        // and once version 3 has been the newest for the settle time (30 s), every label gets it
        driver.advanceWallClockTime(Duration.ofSeconds(30));
        List<Label> converged = labels.readValuesToList();
        assertThat(converged).extracting(Label::getImageId).containsExactlyInAnyOrder("a", "b");
        assertThat(converged).allSatisfy(l -> assertThat(l.getBiasVersion()).isEqualTo(3L));

        // and nothing more happens until the next version
        driver.advanceWallClockTime(Duration.ofSeconds(60));
        assertThat(labels.isEmpty()).isTrue();
    }

    @Test
    void shouldMarkAnImageNoneWhenNoClassReachesTheThresholdOfItsUsualConfidence() {
        // Given none detection at 0.5 and a bias of 0.5, 0.5, 0.9
        ClassNames names = id -> Optional.of(List.of("cat", "dog", "car"));
        start(new LabelMaker(names, new Debias(0.05f), new Mix(0.4f)).withNoneThreshold(0.5f), SETTINGS);
        bias.pipeInput(new ClassSetKey(TestRecords.CLASS_SET), bias(4, 0.5f, 0.5f, 0.9f));

        // When an image scores 0.2, 0.2, 0.44 (debiased 0.4, 0.4, 0.489) and another 0.1, 0.3, 0.6
        scores.pipeInput(TestRecords.key("empty"), TestRecords.scores("empty", List.of(0.2f, 0.2f, 0.44f)));
        scores.pipeInput(TestRecords.key("dog"), TestRecords.scores("dog", List.of(0.1f, 0.3f, 0.6f)));

        // Then only the first is none (the second's dog reaches 0.3 / 0.5 = 0.6)
        Map<String, Boolean> none = new java.util.HashMap<>();
        labels.readValuesToList().forEach(l -> none.put(l.getImageId(), l.getNone()));
        assertThat(none).containsEntry("empty", true).containsEntry("dog", false);
    }

    @Test
    void shouldRouteUnknownClassSetToDeadLetterTopic() {
        Scores stranger = TestRecords.scores("s", List.of(0.5f, 0.5f, 0f));
        stranger.setClassSetId("nobody");
        scores.pipeInput(new ImageKey("nobody", "s"), stranger);
        scores.pipeInput(TestRecords.key("b"), TestRecords.scores("b", List.of(0.2f, 0.3f, 0.5f)));

        assertThat(DeadLetters.header(deadLetters.readRecord().headers(), DeadLetters.REASON))
                .isEqualTo("UNKNOWN_CLASS_SET");
        assertThat(labels.readKeyValuesToList())
                .extracting(kv -> kv.key.getImageId())
                .containsExactly("b");
    }

    @Test
    void shouldRecomputeALargeClassSetABatchPerCheckAndRestartWhenTheBiasMovesAgain() {
        ClassNames names = id -> Optional.of(List.of("cat", "dog", "car"));
        start(
                new LabelMaker(names, new Debias(0.05f), new Mix(0.4f)),
                new LabelerSettings(Duration.ofSeconds(5), 0.05f, true, 2));
        for (String id : List.of("a", "b", "c", "d", "e")) {
            scores.pipeInput(TestRecords.key(id), TestRecords.scores(id, List.of(0.2f, 0.3f, 0.5f)));
        }
        labels.readRecordsToList();

        // a move: two labels per check, from where the last check stopped
        bias.pipeInput(new ClassSetKey(TestRecords.CLASS_SET), bias(2, 0.5f, 0.5f, 0.8f));
        List<Integer> perCheck = new ArrayList<>();
        List<String> relabelled = new ArrayList<>();
        for (int check = 0; check < 4; check++) {
            driver.advanceWallClockTime(Duration.ofSeconds(6));
            List<Label> recomputed = labels.readValuesToList();
            perCheck.add(recomputed.size());
            recomputed.forEach(l -> relabelled.add(l.getImageId()));
            assertThat(recomputed)
                    .allSatisfy(l -> assertThat(l.getBiasVersion()).isEqualTo(2L));
        }
        assertThat(perCheck).containsExactly(2, 2, 1, 0);
        assertThat(relabelled).containsExactlyInAnyOrder("a", "b", "c", "d", "e");
        KeyValueStore<ClassSetKey, ImageKey> cursors = driver.getKeyValueStore(LabelerTopology.RELABEL_CURSOR_STORE);
        assertThat(cursors.get(new ClassSetKey(TestRecords.CLASS_SET)))
                .as("the pass is over")
                .isNull();

        // another move in the middle of a pass starts over with the newest bias
        bias.pipeInput(new ClassSetKey(TestRecords.CLASS_SET), bias(3, 0.9f, 0.9f, 0.9f));
        driver.advanceWallClockTime(Duration.ofSeconds(6));
        assertThat(labels.readValuesToList()).hasSize(2);
        bias.pipeInput(new ClassSetKey(TestRecords.CLASS_SET), bias(4, 0.3f, 0.3f, 0.3f));
        List<Label> afterRestart = new ArrayList<>();
        for (int check = 0; check < 3; check++) {
            driver.advanceWallClockTime(Duration.ofSeconds(6));
            afterRestart.addAll(labels.readValuesToList());
        }
        assertThat(afterRestart).extracting(Label::getImageId).containsExactlyInAnyOrder("a", "b", "c", "d", "e");
        assertThat(afterRestart).allSatisfy(l -> assertThat(l.getBiasVersion()).isEqualTo(4L));
    }
}
