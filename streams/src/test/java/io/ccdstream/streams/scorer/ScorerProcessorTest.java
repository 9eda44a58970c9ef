package io.ccdstream.streams.scorer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

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
import org.apache.kafka.streams.processor.api.MockProcessorContext;
import org.apache.kafka.streams.processor.api.MockProcessorContext.CapturedForward;
import org.apache.kafka.streams.processor.api.MockProcessorContext.CapturedPunctuator;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.Stores;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The batching scorer processor alone, with its punctuators fired by hand. */
class ScorerProcessorTest {

    private static final ScorerSettings SETTINGS = new ScorerSettings(
                    4, Duration.ofMillis(200), Duration.ofSeconds(1), RescoreSettings.OFF)
            .withBatching(BatchingSettings.fixedSize(4));
    /** The tick that hands due batches to the model and applies finished ones. */
    private static final Duration TICK = Duration.ofMillis(50);

    private final FakeEngine engine = new FakeEngine();
    private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
    private TopologyTestSupport support;
    private TopologyTestSupport stateSupport;
    private MockProcessorContext<Object, Object> context;
    private KeyValueStore<ImageKey, PendingImage> buffer;
    private KeyValueStore<ImageKey, PendingImage> awaiting;
    private KeyValueStore<ImageKey, PendingImage> rescoreImages;
    private KeyValueStore<ImageKey, RescoreState> rescoreStates;
    private ScorerProcessor processor;
    private long offset;

    @BeforeEach
    void setUp() {
        support = new TopologyTestSupport();
        context = new MockProcessorContext<>();
        context.setCurrentSystemTimeMs(1_000);
        buffer = store(ScorerTopology.BUFFER_STORE);
        awaiting = store(ScorerTopology.AWAITING_REFINEMENT_STORE);
        rescoreImages = store(ScorerTopology.RESCORE_IMAGES_STORE);
        // the mock context gives every store the same changelog subject: this store's schema gets a registry of its own
        stateSupport = new TopologyTestSupport();
        rescoreStates = Stores.keyValueStoreBuilder(
                        Stores.inMemoryKeyValueStore(ScorerTopology.RESCORE_STATE_STORE),
                        stateSupport.serdes.serde(ImageKey.class, true),
                        stateSupport.serdes.serde(RescoreState.class, false))
                .withLoggingDisabled()
                .build();
        rescoreStates.init(context.getStateStoreContext(), rescoreStates);
        context.addStateStore(rescoreStates);
        processor = new ScorerProcessor(
                engine,
                SETTINGS,
                CcdTopics.IMAGES.keySerde(support.serdes).serializer(),
                CcdTopics.IMAGES.valueSerde(support.serdes).serializer(),
                new PipelineMetrics(registry));
        processor.init(context);
    }

    @AfterEach
    void tearDown() {
        support.close();
        stateSupport.close();
    }

    private KeyValueStore<ImageKey, PendingImage> store(String name) {
        KeyValueStore<ImageKey, PendingImage> store = Stores.keyValueStoreBuilder(
                        Stores.inMemoryKeyValueStore(name),
                        support.serdes.serde(ImageKey.class, true),
                        support.serdes.serde(PendingImage.class, false))
                .withLoggingDisabled()
                .build();
        store.init(context.getStateStoreContext(), store);
        context.addStateStore(store);
        return store;
    }

    private void send(String id, String content) {
        context.setRecordMetadata(CcdTopics.IMAGES.name(), 2, offset++);
        Image image = TestRecords.inlineImage(id, content.getBytes(StandardCharsets.UTF_8));
        processor.process(new Record<>(TestRecords.key(id), image, 1000 + offset));
    }

    private CapturedPunctuator punctuator(Duration interval) {
        return context.scheduledPunctuators().stream()
                .filter(p -> p.getInterval().equals(interval))
                .findFirst()
                .orElseThrow();
    }

    private List<String> forwardedTo(String child) {
        return context.forwarded(child).stream()
                .map(f -> ((ImageKey) f.record().key()).getImageId())
                .toList();
    }

    @Test
    void shouldScheduleAFlushAndABackfillPunctuator() {
        assertThat(context.scheduledPunctuators())
                .extracting(CapturedPunctuator::getInterval)
                .containsExactlyInAnyOrder(TICK, SETTINGS.backfillInterval());
    }

    @Test
    void shouldHoldImagesInTheBufferUntilTheFlushPunctuatorFires() {
        send("a", "fine");
        send("b", "fine");
        assertThat(context.forwarded()).isEmpty();
        assertThat(buffer.get(TestRecords.key("b")).getSourceOffset()).isEqualTo(1);
        assertThat(buffer.get(TestRecords.key("b")).getSourcePartition()).isEqualTo(2);

        punctuator(TICK).getPunctuator().punctuate(5_000);

        assertThat(forwardedTo(ScorerTopology.SCORES_SINK)).containsExactly("a", "b");
        assertThat(engine.batches).containsExactly(List.of("a", "b"));
        assertThat(buffer.approximateNumEntries()).isZero();
        CapturedForward<?, ?> first =
                context.forwarded(ScorerTopology.SCORES_SINK).get(0);
        assertThat(first.record().timestamp())
                .as("the source record's timestamp")
                .isEqualTo(1001);
    }

    @Test
    void shouldCountScoredImagesAndBatches() {
        for (String id : List.of("a", "b", "c", "d")) {
            send(id, "fine");
        }

        double scored = registry.find(PipelineMetrics.IMAGES_SCORED).counters().stream()
                .mapToDouble(c -> c.count())
                .sum();
        assertThat(scored).isEqualTo(4.0);
        assertThat(registry.get(PipelineMetrics.BATCH_SIZE).summary().count()).isEqualTo(1);
        assertThat(registry.get(PipelineMetrics.BATCH_SIZE).summary().totalAmount())
                .isEqualTo(4.0);
        assertThat(registry.get(PipelineMetrics.BATCH_LATENCY).timer().count()).isEqualTo(1);
        assertThat(registry.get(PipelineMetrics.CLIP_INFERENCES).summary().count())
                .isEqualTo(4);
    }

    @Test
    void shouldFlushAsSoonAsTheBatchIsFull() {
        for (String id : List.of("a", "b", "c", "d", "e")) {
            send(id, "fine");
        }
        assertThat(engine.batches).containsExactly(List.of("a", "b", "c", "d"));
        assertThat(buffer.get(TestRecords.key("e"))).isNotNull();
    }

    @Test
    void shouldRescoreAfterARestartFromTheRestoredStores() {
        // Given two images scored with v1 by a processor that keeps them for re-scoring
        ScorerSettings rescoring = new ScorerSettings(4, Duration.ofMillis(200), Duration.ofSeconds(1))
                .withBatching(BatchingSettings.fixedSize(4));
        ScorerProcessor first = processor(rescoring);
        first.init(context);
        engine.checkpointLoaded = true;
        engine.heldOutMap = 40.0;
        send(first, "a");
        send(first, "b");
        first.flush();
        assertThat(rescoreStates.approximateNumEntries()).isEqualTo(2);

        // When a new instance starts over the same stores and a better checkpoint is in use
        ScorerProcessor restarted = processor(rescoring);
        MockProcessorContext<Object, Object> fresh = new MockProcessorContext<>();
        fresh.setCurrentSystemTimeMs(1_000);
        List.of(buffer, awaiting, rescoreImages, rescoreStates).forEach(fresh::addStateStore);
        restarted.init(fresh);
        engine.checkpointVersion = 2;
        engine.heldOutMap = 45.0;
        restarted.rescore(1_000);
        restarted.rescore(2_000);

        // Then both images are re-scored with v2, once
        assertThat(fresh.forwarded(ScorerTopology.SCORES_SINK))
                .extracting(f -> ((Scores) f.record().value()).getCheckpointVersion())
                .containsExactly(2L, 2L);
        restarted.rescore(3_000);
        assertThat(fresh.forwarded(ScorerTopology.SCORES_SINK)).hasSize(2);
    }

    private ScorerProcessor processor(ScorerSettings settings) {
        return new ScorerProcessor(
                engine,
                settings,
                CcdTopics.IMAGES.keySerde(support.serdes).serializer(),
                CcdTopics.IMAGES.valueSerde(support.serdes).serializer(),
                new PipelineMetrics(new SimpleMeterRegistry()));
    }

    private void send(ScorerProcessor target, String id) {
        context.setRecordMetadata(CcdTopics.IMAGES.name(), 2, offset++);
        target.process(new Record<>(
                TestRecords.key(id), TestRecords.inlineImage(id, "fine".getBytes(StandardCharsets.UTF_8)), 1_000L));
    }

    @Test
    void shouldResumeABufferRestoredAfterACrash() {
        send("a", "fine");
        send("b", "fine");
        // a new processor instance over the same stores, as after a restart: its decode cache is empty
        ScorerProcessor restarted = new ScorerProcessor(
                engine,
                SETTINGS,
                CcdTopics.IMAGES.keySerde(support.serdes).serializer(),
                CcdTopics.IMAGES.valueSerde(support.serdes).serializer(),
                new PipelineMetrics(new SimpleMeterRegistry()));
        MockProcessorContext<Object, Object> fresh = new MockProcessorContext<>();
        fresh.setCurrentSystemTimeMs(1_000);
        fresh.addStateStore(buffer);
        fresh.addStateStore(awaiting);
        fresh.addStateStore(rescoreImages);
        fresh.addStateStore(rescoreStates);
        restarted.init(fresh);

        restarted.flush();

        assertThat(fresh.forwarded(ScorerTopology.SCORES_SINK))
                .extracting(f -> ((ImageKey) f.record().key()).getImageId())
                .containsExactly("a", "b");
        assertThat(buffer.approximateNumEntries()).isZero();
    }

    @Test
    void shouldBackfillOnlyOnceACheckpointIsLoadedAndOnlyOnce() {
        send("a", "fine");
        send("b", "fine");
        processor.flush();
        context.resetForwards();
        assertThat(awaiting.approximateNumEntries()).isEqualTo(2);

        punctuator(SETTINGS.backfillInterval()).getPunctuator().punctuate(10_000);
        assertThat(context.forwarded()).as("no checkpoint yet").isEmpty();

        engine.checkpointLoaded = true;
        punctuator(SETTINGS.backfillInterval()).getPunctuator().punctuate(11_000);
        assertThat(context.forwarded(ScorerTopology.SCORES_SINK))
                .allSatisfy(f -> {
                    assertThat(((Scores) f.record().value()).getLocal()).isNotNull();
                    assertThat(((Scores) f.record().value()).getRescore())
                            .as("the bias must not count it again")
                            .isTrue();
                })
                .hasSize(2);
        assertThat(awaiting.approximateNumEntries()).isZero();

        context.resetForwards();
        punctuator(SETTINGS.backfillInterval()).getPunctuator().punctuate(12_000);
        assertThat(context.forwarded()).isEmpty();
    }

    @Test
    void shouldKeepNothingForBackfillWhenTheEngineNeverRefines() {
        engine.refinesLater = false;
        send("a", "fine");
        processor.flush();

        assertThat(awaiting.approximateNumEntries()).isZero();
        assertThat(((Scores) context.forwarded(ScorerTopology.SCORES_SINK)
                                .get(0)
                                .record()
                                .value())
                        .getRescore())
                .isFalse();
    }

    @Test
    void shouldNotKeepRefinedImagesForBackfill() {
        engine.checkpointLoaded = true;
        send("a", "fine");
        processor.flush();

        assertThat(awaiting.approximateNumEntries()).isZero();
        assertThat(((Scores) context.forwarded(ScorerTopology.SCORES_SINK)
                                .get(0)
                                .record()
                                .value())
                        .getCheckpointVersion())
                .isEqualTo(1L);
    }

    @Test
    void shouldDeadLetterTheImageTheModelFailsOnWithItsSourceCoordinates() {
        send("a", "fine");
        send("x", "model-fails");
        processor.flush();

        assertThat(forwardedTo(ScorerTopology.SCORES_SINK)).containsExactly("a");
        CapturedForward<?, ?> dead =
                context.forwarded(ScorerTopology.DEAD_LETTER_SINK).get(0);
        assertThat(dead.record().headers().lastHeader("__streams.errors.offset").value())
                .isEqualTo("1".getBytes(StandardCharsets.UTF_8));
        assertThat(buffer.approximateNumEntries()).isZero();
    }

    @Test
    void shouldStopRatherThanDeadLetterAWholeBatchTheModelFailsOn() {
        send("x", "model-fails");
        send("y", "model-fails");

        assertThatThrownBy(processor::flush)
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("every image of a batch of 2");
        assertThat(context.forwarded(ScorerTopology.DEAD_LETTER_SINK)).isEmpty();
        assertThat(buffer.approximateNumEntries())
                .as("nothing lost: the images stay buffered")
                .isEqualTo(2);
    }

    @Test
    void shouldStopRatherThanDeadLetterWhenABrokenModelFailsOnABatchOfOne() {
        // Given a model that fails on every image, and an image that waits alone for its batch
        engine.broken = true;
        send("a", "fine");

        // When the flush punctuator scores a batch of one
        assertThatThrownBy(() -> punctuator(TICK).getPunctuator().punctuate(5_000))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("control image");

        // Then nothing is dead-lettered: the image stays buffered for the restarted service
        assertThat(context.forwarded(ScorerTopology.DEAD_LETTER_SINK)).isEmpty();
        assertThat(buffer.approximateNumEntries()).isEqualTo(1);
    }

    @Test
    void shouldStopWhenABrokenModelFailsOnABatchOfSeveralGoodImages() {
        engine.broken = true;
        send("a", "fine");
        send("b", "fine");

        assertThatThrownBy(processor::flush).isInstanceOf(IllegalStateException.class);
        assertThat(context.forwarded(ScorerTopology.DEAD_LETTER_SINK)).isEmpty();
        assertThat(buffer.approximateNumEntries()).isEqualTo(2);
    }

    @Test
    void shouldDeadLetterAnImageAloneInItsBatchWhenTheModelScoresAControlImage() {
        send("x", "model-fails");
        processor.flush();

        assertThat(context.forwarded(ScorerTopology.DEAD_LETTER_SINK))
                .singleElement()
                .satisfies(dead -> assertThat(dead.record()
                                .headers()
                                .lastHeader("ccd.dlq.reason")
                                .value())
                        .isEqualTo("MODEL_FAILURE".getBytes(StandardCharsets.UTF_8)));
        assertThat(buffer.approximateNumEntries()).isZero();
    }

    @Test
    void shouldGoOnTakingImagesWhileTheModelWorksAndApplyItsResultsOnTheStreamThread() {
        // Given a processor whose model runs on a lane of its own, held at its first batch
        java.util.concurrent.CountDownLatch gate = new java.util.concurrent.CountDownLatch(1);
        engine.gate = gate;
        ScorerProcessor threaded = new ScorerProcessor(
                engine,
                SETTINGS.withBatching(new BatchingSettings(4, Duration.ofSeconds(2), Duration.ofMillis(100), 1)),
                CcdTopics.IMAGES.keySerde(support.serdes).serializer(),
                CcdTopics.IMAGES.valueSerde(support.serdes).serializer(),
                new PipelineMetrics(new SimpleMeterRegistry()),
                ModelLane.threaded(1));
        MockProcessorContext<Object, Object> own = new MockProcessorContext<>();
        own.setCurrentSystemTimeMs(1_000);
        List.of(buffer, awaiting, rescoreImages).forEach(own::addStateStore);
        own.addStateStore(rescoreStates);
        threaded.init(own);
        try {
            // When 16 images arrive: one batch held by the model, one ready, twice a batch waiting
            org.junit.jupiter.api.Assertions.assertTimeoutPreemptively(Duration.ofSeconds(20), () -> {
                for (int i = 0; i < 16; i++) {
                    own.setRecordMetadata(CcdTopics.IMAGES.name(), 0, i);
                    threaded.process(new Record<>(
                            TestRecords.key("i" + i),
                            TestRecords.inlineImage("i" + i, "fine".getBytes(StandardCharsets.UTF_8)),
                            1_000L));
                }
            });

            // Then the stream thread was never held longer than the bounded wait, and nothing is out yet
            assertThat(own.forwarded()).isEmpty();
            assertThat(buffer.approximateNumEntries()).isEqualTo(16);

            // and once the model goes on, every image is forwarded exactly once by the stream thread's ticks
            gate.countDown();
            CapturedPunctuator tick = own.scheduledPunctuators().stream()
                    .filter(p -> p.getInterval().equals(TICK))
                    .findFirst()
                    .orElseThrow();
            long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
            while (own.forwarded(ScorerTopology.SCORES_SINK).size() < 16 && System.nanoTime() < deadline) {
                tick.getPunctuator().punctuate(2_000);
                Thread.onSpinWait();
            }
            assertThat(own.forwarded(ScorerTopology.SCORES_SINK))
                    .extracting(f -> ((ImageKey) f.record().key()).getImageId())
                    .hasSize(16)
                    .doesNotHaveDuplicates();
            assertThat(buffer.approximateNumEntries()).isZero();
            assertThat(engine.batches).allSatisfy(batch -> assertThat(batch).hasSize(4));
        } finally {
            gate.countDown();
            threaded.close();
        }
    }
}
