package io.ccdstream.streams.labeler;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.ccdstream.processors.ccd.Debias;
import io.ccdstream.processors.ccd.Mix;
import io.ccdstream.schemas.ImageKey;
import io.ccdstream.schemas.Label;
import io.ccdstream.schemas.LabelStage;
import io.ccdstream.schemas.Scores;
import io.ccdstream.streams.CcdTopics;
import io.ccdstream.streams.TestRecords;
import io.ccdstream.streams.TopologyTestSupport;
import io.ccdstream.streams.errors.DeadLetters;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Optional;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TestOutputTopic;
import org.apache.kafka.streams.TopologyTestDriver;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class LabelerTopologyTest {

    private static final Clock CLOCK = Clock.fixed(Instant.ofEpochMilli(5_000), ZoneOffset.UTC);

    private TopologyTestSupport support;
    private TopologyTestDriver driver;
    private TestInputTopic<ImageKey, Scores> scores;
    private TestOutputTopic<ImageKey, Label> labels;
    private TestOutputTopic<byte[], byte[]> deadLetters;

    @BeforeEach
    void setUp() {
        support = new TopologyTestSupport();
        ClassNames names = id -> id.equals(TestRecords.CLASS_SET) ? Optional.of(List.of("cat", "dog", "car"))
            : Optional.empty();
        driver = support.driver(LabelerTopology.build(support.serdes, names, new Debias(0.05f), new Mix(0.4f), CLOCK),
            LabelerTopology.SERVICE);
        scores = driver.createInputTopic(CcdTopics.SCORES.name(),
            CcdTopics.SCORES.keySerde(support.serdes).serializer(),
            CcdTopics.SCORES.valueSerde(support.serdes).serializer());
        labels = driver.createOutputTopic(CcdTopics.LABELS.name(),
            CcdTopics.LABELS.keySerde(support.serdes).deserializer(),
            CcdTopics.LABELS.valueSerde(support.serdes).deserializer());
        deadLetters = driver.createOutputTopic(CcdTopics.DEAD_LETTERS, new ByteArrayDeserializer(),
            new ByteArrayDeserializer());
    }

    @AfterEach
    void tearDown() {
        driver.close();
        support.close();
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
        assertThat(label.getLabeledAt()).isEqualTo(CLOCK.instant());
    }

    @Test
    void shouldMixLocalScoresIntoARefinedLabel() {
        Scores refined = TestRecords.scores("a", List.of(0.01f, 0.19f, 0.8f));
        refined.setLocal(List.of(0.9f, 0.02f, 0.08f));
        refined.setCheckpointVersion(3L);
        scores.pipeInput(TestRecords.key("a"), refined);

        Label label = labels.readValue();
        assertThat(label.getStage()).isEqualTo(LabelStage.REFINED);
        assertThat(label.getCheckpointVersion()).isEqualTo(3L);
        // 0.4 * 0.05 + 0.6 * 0.9 = 0.56
        assertThat(label.getScores().get(0)).isCloseTo(0.56f, within(1e-6f));
    }

    @Test
    void shouldRouteUnknownClassSetToDeadLetterTopic() {
        Scores stranger = TestRecords.scores("s", List.of(0.5f, 0.5f, 0f));
        stranger.setClassSetId("nobody");
        scores.pipeInput(new ImageKey("nobody", "s"), stranger);
        scores.pipeInput(TestRecords.key("b"), TestRecords.scores("b", List.of(0.2f, 0.3f, 0.5f)));

        assertThat(DeadLetters.header(deadLetters.readRecord().headers(), DeadLetters.REASON))
            .isEqualTo("UNKNOWN_CLASS_SET");
        assertThat(labels.readKeyValuesToList()).extracting(kv -> kv.key.getImageId()).containsExactly("b");
    }
}
