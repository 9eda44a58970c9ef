package io.ccdstream.streams.scorer;

import static org.assertj.core.api.Assertions.assertThat;

import io.ccdstream.schemas.Image;
import io.ccdstream.schemas.ImageKey;
import io.ccdstream.schemas.PendingImage;
import io.ccdstream.schemas.RescoreState;
import io.ccdstream.schemas.Scores;
import io.ccdstream.streams.TestRecords;
import io.ccdstream.streams.TopologyTestSupport;
import io.ccdstream.streams.metrics.PipelineMetrics;
import io.ccdstream.topics.CcdTopics;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TestOutputTopic;
import org.apache.kafka.streams.TopologyTestDriver;
import org.apache.kafka.streams.state.KeyValueStore;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Re-scoring images made with an older checkpoint when a clearly better one is in use. */
class RescoreTopologyTest {

    private final FakeEngine engine = new FakeEngine();
    private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
    private TopologyTestSupport support;
    private TopologyTestDriver driver;
    private TestInputTopic<ImageKey, Image> images;
    private TestOutputTopic<ImageKey, Scores> scores;
    private TestOutputTopic<byte[], byte[]> deadLetters;

    private void start(RescoreSettings rescore) {
        support = new TopologyTestSupport();
        driver = support.driver(
                ScorerTopology.build(
                        support.serdes,
                        engine,
                        new ScorerSettings(2, Duration.ofMillis(100), Duration.ofSeconds(1), rescore)
                                .withBatching(BatchingSettings.fixedSize(2)),
                        CcdTopics.DEAD_LETTERS,
                        new PipelineMetrics(registry),
                        ModelLane.inline()),
                ScorerTopology.SERVICE);
        images = driver.createInputTopic(
                CcdTopics.IMAGES.name(),
                CcdTopics.IMAGES.keySerde(support.serdes).serializer(),
                CcdTopics.IMAGES.valueSerde(support.serdes).serializer());
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

    private void send(String... ids) {
        for (String id : ids) {
            images.pipeInput(TestRecords.key(id), TestRecords.inlineImage(id, "fine".getBytes(StandardCharsets.UTF_8)));
        }
    }

    private void install(long version, Double heldOutMap) {
        engine.checkpointLoaded = true;
        engine.checkpointVersion = version;
        engine.heldOutMap = heldOutMap;
    }

    /** Lets the re-scoring punctuator run for {@code seconds} of wall-clock time. */
    private List<KeyValue<ImageKey, Scores>> runFor(int seconds) {
        for (int s = 0; s < seconds; s++) {
            driver.advanceWallClockTime(Duration.ofSeconds(1));
        }
        return scores.readKeyValuesToList();
    }

    @Test
    void shouldRescoreEveryImageOnceWithAClearlyBetterCheckpoint() {
        // Given three images scored with v1 (held-out mAP 40)
        start(RescoreSettings.DEFAULTS);
        install(1, 40.0);
        send("a", "b", "c", "d");
        assertThat(scores.readValuesToList())
                .extracting(Scores::getCheckpointVersion)
                .containsOnly(1L);
        assertThat(runFor(5)).as("nothing better than v1 is in use").isEmpty();

        // When v2 (45: 5 points better) is in use
        install(2, 45.0);
        List<KeyValue<ImageKey, Scores>> rescored = runFor(5);

        // Then each image is re-scored once, with v2, flagged as a re-score
        assertThat(rescored).extracting(kv -> kv.key.getImageId()).containsExactlyInAnyOrder("a", "b", "c", "d");
        assertThat(rescored).allSatisfy(kv -> {
            assertThat(kv.value.getRescore()).isTrue();
            assertThat(kv.value.getCheckpointVersion()).isEqualTo(2L);
            assertThat(kv.value.getRescoredFrom()).isEqualTo(1L);
        });
        assertThat(runFor(5)).as("not again with the same version").isEmpty();
        KeyValueStore<ImageKey, RescoreState> states = driver.getKeyValueStore(ScorerTopology.RESCORE_STATE_STORE);
        assertThat(states.get(TestRecords.key("a")).getCheckpointVersion()).isEqualTo(2L);
        assertThat(states.get(TestRecords.key("a")).getHeldOutMap()).isEqualTo(45.0);
        assertThat(registry.get(PipelineMetrics.IMAGES_RESCORED).counter().count())
                .isEqualTo(4.0);
        assertThat(registry.get(PipelineMetrics.RESCORE_CLIP_INFERENCES)
                        .counter()
                        .count())
                .isEqualTo(12.0);
        assertThat(registry.get(PipelineMetrics.IMAGES_SCORED).counter().count())
                .as("re-scores are not counted as new images")
                .isEqualTo(4.0);
    }

    @Test
    void shouldRescoreOnlyForAGainOfAtLeastTheMinimum() {
        // Given images made with v1 at 40
        start(RescoreSettings.DEFAULTS);
        install(1, 40.0);
        send("a", "b");
        scores.readValuesToList();

        // When v2 gains half a point, v3 has no held-out signal, then v4 gains 1.5 points over v1
        install(2, 40.5);
        assertThat(runFor(3)).isEmpty();
        install(3, null);
        assertThat(runFor(3)).isEmpty();
        install(4, 41.5);

        // Then only v4 re-scores
        assertThat(runFor(3)).extracting(kv -> kv.value.getCheckpointVersion()).containsExactly(4L, 4L);
    }

    @Test
    void shouldRescoreImagesOfACheckpointWithoutSignalWhenOneWithASignalArrives() {
        // Given images refined by a warm-up checkpoint published before the held-out slice was ready
        start(RescoreSettings.DEFAULTS);
        install(1, null);
        send("a", "b");
        scores.readValuesToList();

        // When the next checkpoint has a held-out value
        install(2, 30.0);

        // Then both are re-scored with it
        assertThat(runFor(3)).extracting(kv -> kv.value.getCheckpointVersion()).containsExactly(2L, 2L);
    }

    @Test
    void shouldNotRescoreWhileImagesArriveLate() {
        // Given images made with v1 and a clearly better v2
        start(RescoreSettings.DEFAULTS);
        install(1, 40.0);
        // the driver's wall clock starts at the real time
        long now = System.currentTimeMillis();
        for (String id : List.of("a", "b")) {
            images.pipeInput(
                    TestRecords.key(id),
                    TestRecords.inlineImage(id, "fine".getBytes(StandardCharsets.UTF_8)),
                    java.time.Instant.ofEpochMilli(now));
        }
        scores.readValuesToList();
        install(2, 50.0);

        // When the images being taken were sent long before (the scorer is behind its input)
        driver.advanceWallClockTime(Duration.ofSeconds(1));
        images.pipeInput(
                TestRecords.key("late"),
                TestRecords.inlineImage("late", "fine".getBytes(StandardCharsets.UTF_8)),
                java.time.Instant.ofEpochMilli(now - 30_000));
        List<KeyValue<ImageKey, Scores>> whileBehind = runFor(3);

        // Then only the late image is scored, nothing re-scored; once idle, re-scoring resumes
        assertThat(whileBehind)
                .allSatisfy(kv -> assertThat(kv.value.getRescoredFrom()).isNull());
        assertThat(runFor(15))
                .filteredOn(kv -> kv.value.getRescoredFrom() != null)
                .extracting(kv -> kv.key.getImageId())
                .contains("a", "b");
    }

    @Test
    void shouldKeepOnlyTheNewestImagesUpToCapacity() {
        // Given a capacity of 3 images
        start(new RescoreSettings(true, 3, 0.25, 1.0));
        install(1, 40.0);
        send("a", "b", "c", "d", "e", "f");
        scores.readValuesToList();
        KeyValueStore<ImageKey, PendingImage> kept = driver.getKeyValueStore(ScorerTopology.RESCORE_IMAGES_STORE);
        assertThat(kept.approximateNumEntries()).isEqualTo(3);

        // When a better checkpoint arrives, only the three newest are re-scored
        install(2, 50.0);
        assertThat(runFor(5)).extracting(kv -> kv.key.getImageId()).containsExactlyInAnyOrder("d", "e", "f");
    }

    @Test
    void shouldDropAnImageThatCannotBeReadAgainWithoutADeadLetter() {
        // Given images whose claim-checked files disappear after their first scoring
        start(RescoreSettings.DEFAULTS);
        install(1, 40.0);
        send("a", "b");
        scores.readValuesToList();
        engine.unreadable = true;

        // When a better checkpoint arrives
        install(2, 50.0);

        // Then nothing is re-scored, nothing is dead-lettered, and the store lets them go
        assertThat(runFor(3)).isEmpty();
        assertThat(deadLetters.isEmpty()).isTrue();
        KeyValueStore<ImageKey, PendingImage> kept = driver.getKeyValueStore(ScorerTopology.RESCORE_IMAGES_STORE);
        assertThat(kept.approximateNumEntries()).isZero();
        assertThat(registry.get(PipelineMetrics.RESCORE_DROPPED)
                        .tag("reason", "IMAGE_NOT_FOUND")
                        .counter()
                        .count())
                .isEqualTo(2.0);
    }

    @Test
    void shouldKeepNothingWhenRescoringIsOff() {
        start(RescoreSettings.OFF);
        install(1, 40.0);
        send("a", "b");
        scores.readValuesToList();
        install(2, 50.0);

        assertThat(runFor(3)).isEmpty();
        KeyValueStore<ImageKey, PendingImage> kept = driver.getKeyValueStore(ScorerTopology.RESCORE_IMAGES_STORE);
        assertThat(kept.approximateNumEntries()).isZero();
    }

    @Test
    void shouldRescoreTheBackfilledImagesLaterToo() {
        // Given images scored before any checkpoint, then backfilled with v1
        start(RescoreSettings.DEFAULTS);
        send("a", "b");
        assertThat(scores.readValuesToList())
                .allSatisfy(s -> assertThat(s.getLocal()).isNull());
        install(1, 35.0);
        List<KeyValue<ImageKey, Scores>> backfilled = runFor(3);
        assertThat(backfilled).extracting(kv -> kv.value.getCheckpointVersion()).containsExactly(1L, 1L);
        assertThat(backfilled)
                .allSatisfy(kv -> assertThat(kv.value.getRescoredFrom()).isNull());

        // When a clearly better checkpoint arrives, they are re-scored once more with it
        install(2, 40.0);
        assertThat(runFor(3)).extracting(kv -> kv.value.getCheckpointVersion()).containsExactly(2L, 2L);
    }
}
