package io.ccdstream.streams.scorer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.ccdstream.schemas.Image;
import io.ccdstream.schemas.ImageKey;
import io.ccdstream.schemas.PendingImage;
import io.ccdstream.schemas.Scores;
import io.ccdstream.streams.TestRecords;
import io.ccdstream.streams.TopologyTestSupport;
import io.ccdstream.streams.metrics.PipelineMetrics;
import io.ccdstream.topics.CcdTopics;
import io.ccdstream.topics.DeadLetters;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TestOutputTopic;
import org.apache.kafka.streams.TopologyTestDriver;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.test.TestRecord;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class ScorerTopologyTest {

    private static final ScorerSettings SETTINGS = new ScorerSettings(3, Duration.ofMillis(500), Duration.ofSeconds(2))
            .withBatching(BatchingSettings.fixedSize(3));

    private final FakeEngine engine = new FakeEngine();
    private TopologyTestSupport support;
    private TopologyTestDriver driver;
    private TestInputTopic<ImageKey, Image> images;
    private TestInputTopic<byte[], byte[]> rawImages;
    private TestOutputTopic<ImageKey, Scores> scores;
    private TestOutputTopic<byte[], byte[]> deadLetters;

    @BeforeEach
    void setUp() {
        support = new TopologyTestSupport();
        driver = support.driver(
                ScorerTopology.build(
                        support.serdes,
                        engine,
                        SETTINGS,
                        CcdTopics.DEAD_LETTERS,
                        new PipelineMetrics(new SimpleMeterRegistry()),
                        ModelLane.inline()),
                ScorerTopology.SERVICE);
        images = driver.createInputTopic(
                CcdTopics.IMAGES.name(),
                CcdTopics.IMAGES.keySerde(support.serdes).serializer(),
                CcdTopics.IMAGES.valueSerde(support.serdes).serializer());
        rawImages =
                driver.createInputTopic(CcdTopics.IMAGES.name(), new ByteArraySerializer(), new ByteArraySerializer());
        scores = driver.createOutputTopic(
                CcdTopics.SCORES.name(),
                CcdTopics.SCORES.keySerde(support.serdes).deserializer(),
                CcdTopics.SCORES.valueSerde(support.serdes).deserializer());
        deadLetters = driver.createOutputTopic(
                CcdTopics.DEAD_LETTERS, new ByteArrayDeserializer(), new ByteArrayDeserializer());
    }

    @AfterEach
    void tearDown() {
        driver.close();
        support.close();
    }

    private void send(String id, String content) {
        images.pipeInput(TestRecords.key(id), TestRecords.inlineImage(id, content.getBytes(StandardCharsets.UTF_8)));
    }

    private List<String> scoredIds() {
        return scores.readKeyValuesToList().stream()
                .map(kv -> kv.key.getImageId())
                .toList();
    }

    @Test
    void shouldScoreAFullBatchAtOnce() {
        send("a", "fine");
        send("b", "fine");
        assertThat(scores.isEmpty()).isTrue();
        send("c", "fine");

        assertThat(scoredIds()).containsExactly("a", "b", "c");
        assertThat(engine.batches).containsExactly(List.of("a", "b", "c"));
        KeyValueStore<ImageKey, PendingImage> buffer = driver.getKeyValueStore(ScorerTopology.BUFFER_STORE);
        assertThat(buffer.approximateNumEntries()).isZero();
    }

    @Test
    void shouldFlushAPartialBatchAfterMaxWait() {
        send("a", "fine");
        driver.advanceWallClockTime(Duration.ofMillis(600));

        assertThat(scoredIds()).containsExactly("a");
    }

    @Test
    void shouldRefineImagesScoredBeforeTheFirstCheckpointExactlyOnce() {
        send("a", "fine");
        send("b", "fine");
        send("c", "fine");
        assertThat(scores.readValuesToList())
                .allSatisfy(s -> assertThat(s.getLocal()).isNull());
        KeyValueStore<ImageKey, PendingImage> awaiting =
                driver.getKeyValueStore(ScorerTopology.AWAITING_REFINEMENT_STORE);
        assertThat(awaiting.get(TestRecords.key("b")).getSourceOffset()).isEqualTo(1);

        engine.checkpointLoaded = true;
        driver.advanceWallClockTime(Duration.ofSeconds(3));
        List<KeyValue<ImageKey, Scores>> refined = scores.readKeyValuesToList();
        assertThat(refined).extracting(kv -> kv.key.getImageId()).containsExactlyInAnyOrder("a", "b", "c");
        assertThat(refined).allSatisfy(kv -> assertThat(kv.value.getLocal()).isNotNull());
        assertThat(awaiting.approximateNumEntries()).isZero();

        driver.advanceWallClockTime(Duration.ofSeconds(3));
        assertThat(scores.isEmpty()).as("nothing refined twice").isTrue();
    }

    @Test
    void shouldRoutePoisonImageToDeadLetterTopicAndContinue() {
        send("bad", "poison");
        send("good", "fine");
        driver.advanceWallClockTime(Duration.ofMillis(600));

        List<TestRecord<byte[], byte[]>> dead = deadLetters.readRecordsToList();
        assertThat(dead).hasSize(1);
        assertThat(DeadLetters.header(dead.get(0).headers(), DeadLetters.REASON))
                .isEqualTo("IMAGE_CORRUPT");
        assertThat(DeadLetters.header(dead.get(0).headers(), DeadLetters.MESSAGE))
                .contains("not an image: bad");
        assertThat(DeadLetters.header(dead.get(0).headers(), DeadLetters.TOPIC)).isEqualTo(CcdTopics.IMAGES.name());
        assertThat(DeadLetters.header(dead.get(0).headers(), DeadLetters.OFFSET))
                .isEqualTo("0");
        // the dead letter keeps the original bytes: it can be replayed after a fix
        assertThat(CcdTopics.IMAGES
                        .valueSerde(support.serdes)
                        .deserializer()
                        .deserialize(CcdTopics.IMAGES.name(), dead.get(0).value())
                        .getImageId())
                .isEqualTo("bad");
        assertThat(scoredIds()).containsExactly("good");
    }

    @Test
    void shouldDeadLetterOnlyTheImageTheModelFailsOn() {
        send("a", "fine");
        send("broken", "model-fails");
        send("c", "fine");

        assertThat(scoredIds()).containsExactly("a", "c");
        TestRecord<byte[], byte[]> dead = deadLetters.readRecord();
        assertThat(DeadLetters.header(dead.headers(), DeadLetters.REASON)).isEqualTo("MODEL_FAILURE");
        assertThat(DeadLetters.header(dead.headers(), DeadLetters.OFFSET)).isEqualTo("1");
        assertThat(DeadLetters.header(dead.headers(), DeadLetters.PARTITION)).isEqualTo("0");
    }

    @Test
    void shouldDeadLetterATombstoneAndContinue() {
        images.pipeInput(TestRecords.key("deleted"), (Image) null);
        send("good", "fine");
        driver.advanceWallClockTime(Duration.ofMillis(600));

        List<TestRecord<byte[], byte[]>> dead = deadLetters.readRecordsToList();
        assertThat(dead).hasSize(1);
        assertThat(DeadLetters.header(dead.get(0).headers(), DeadLetters.REASON))
                .isEqualTo("TOMBSTONE");
        assertThat(DeadLetters.header(dead.get(0).headers(), DeadLetters.OFFSET))
                .isEqualTo("0");
        assertThat(dead.get(0).value()).isNull();
        assertThat(scoredIds()).containsExactly("good");
    }

    @Test
    void shouldSkipNonAvroValueAndContinue() {
        // TopologyTestDriver does not forward deserialization dead letters: their content is checked in
        // DeadLetterHandlerTest and on a real broker in PipelineIT
        byte[] key = CcdTopics.IMAGES
                .keySerde(support.serdes)
                .serializer()
                .serialize(CcdTopics.IMAGES.name(), TestRecords.key("x"));
        rawImages.pipeInput(key, "{\"json\":true}".getBytes(StandardCharsets.UTF_8));
        send("good", "fine");
        driver.advanceWallClockTime(Duration.ofMillis(600));

        assertThat(scoredIds()).containsExactly("good");
    }

    @Test
    void shouldStopOnABugRatherThanHideItInTheDeadLetterTopic() {
        assertThatThrownBy(() -> send("b", "bug")).hasStackTraceContaining("a bug");
        assertThat(deadLetters.isEmpty()).isTrue();
    }
}
