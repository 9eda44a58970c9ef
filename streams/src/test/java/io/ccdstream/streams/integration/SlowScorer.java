package io.ccdstream.streams.integration;

import io.ccdstream.method.image.RgbImage;
import io.ccdstream.schemas.Image;
import io.ccdstream.schemas.ImageKey;
import io.ccdstream.schemas.Scores;
import io.ccdstream.streams.CcdStreamsConfig;
import io.ccdstream.streams.StreamsRunner;
import io.ccdstream.streams.TestRecords;
import io.ccdstream.streams.metrics.PipelineMetrics;
import io.ccdstream.streams.scorer.BatchingSettings;
import io.ccdstream.streams.scorer.Prepared;
import io.ccdstream.streams.scorer.ScorerSettings;
import io.ccdstream.streams.scorer.ScorerTopology;
import io.ccdstream.streams.scorer.ScorerTuning;
import io.ccdstream.streams.scorer.ScoringEngine;
import io.ccdstream.topics.RegistrySerdes;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.locks.LockSupport;

/**
 * A scorer whose model takes {@code perImage} for each image (a stand-in for a CLIP model of real
 * size), run with the production topology, lane and Kafka settings.
 */
final class SlowScorer {

    /** Batches of up to 16, as a user would configure them; model calls of 1 s at most. */
    static final ScorerSettings SETTINGS = new ScorerSettings(16, Duration.ofMillis(200), Duration.ofSeconds(1))
            .withBatching(new BatchingSettings(1, Duration.ofSeconds(1), Duration.ofMillis(500), 1));
    /**
     * The transaction timeout of these tests: shorter than a batch of 16 (4 s at 250 ms per image), so a
     * scorer that scored a whole batch inside one transaction would be fenced, as a 2 s-per-image model
     * would be under the default 10 s; longer than the longest model call with a margin.
     */
    static final int TRANSACTION_TIMEOUT_MS = 3_000;

    private SlowScorer() {}

    /** The engine: every image takes {@code perImage}. */
    static ScoringEngine engine(Duration perImage) {
        return new ScoringEngine() {
            @Override
            public RgbImage prepare(ImageKey key, Image image) {
                return RgbImage.filled(4, 3, 0x102030);
            }

            @Override
            public boolean canRefine(String classSetId) {
                return false;
            }

            @Override
            public boolean refinesLater() {
                return false;
            }

            @Override
            public List<Scores> score(List<Prepared> batch) {
                LockSupport.parkNanos(perImage.toNanos() * batch.size());
                return batch.stream()
                        .map(p -> TestRecords.scores(p.key().getImageId(), List.of(0.25f, 0.75f)))
                        .toList();
            }

            @Override
            public void checkModel(String classSetId) {}
        };
    }

    /** Starts the scorer on the cluster at {@code bootstrap}, keeping its state under {@code stateDir}. */
    static StreamsRunner start(String bootstrap, String registryUrl, Path stateDir, Duration perImage) {
        CcdStreamsConfig config = new CcdStreamsConfig(Map.of(
                CcdStreamsConfig.BOOTSTRAP_SERVERS,
                bootstrap,
                CcdStreamsConfig.SCHEMA_REGISTRY_URL,
                registryUrl,
                CcdStreamsConfig.STATE_DIR,
                stateDir.toString(),
                CcdStreamsConfig.PASS_THROUGH_PREFIX + "producer.transaction.timeout.ms",
                TRANSACTION_TIMEOUT_MS));
        PipelineMetrics metrics = new PipelineMetrics(new SimpleMeterRegistry());
        Map<String, Object> properties = new HashMap<>(
                ScorerTuning.of(perImage.toNanos(), 2, SETTINGS, 200).streamsProperties());
        properties.putAll(config.streamsProperties(ScorerTopology.SERVICE));
        properties.put(PipelineMetrics.CONFIG, metrics);
        properties.put(PipelineMetrics.SERVICE_CONFIG, ScorerTopology.SERVICE);
        return StreamsRunner.start(
                ScorerTopology.SERVICE,
                ScorerTopology.build(
                        new RegistrySerdes(config.serdeSettings()),
                        engine(perImage),
                        SETTINGS,
                        config.deadLetterTopic(),
                        metrics),
                properties);
    }
}
