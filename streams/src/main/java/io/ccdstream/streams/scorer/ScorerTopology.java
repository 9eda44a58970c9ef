package io.ccdstream.streams.scorer;

import io.ccdstream.schemas.ImageKey;
import io.ccdstream.schemas.PendingImage;
import io.ccdstream.schemas.RescoreState;
import io.ccdstream.streams.metrics.PipelineMetrics;
import io.ccdstream.topics.CcdTopics;
import io.ccdstream.topics.SerdeFactory;
import java.util.Map;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.state.Stores;

/**
 * The scorer service: {@code ccd.images -> batch, score (global view, and CAM crops once a
 * checkpoint is loaded) -> ccd.scores}, with images scored before their class set had a
 * checkpoint refined later (backfill), and images made with an older checkpoint re-scored when a
 * clearly better one arrives. See {@link ScorerProcessor}.
 */
public final class ScorerTopology {

    /** Service name, part of the application id. */
    public static final String SERVICE = "scorer";
    /** Images waiting in the current batch. */
    public static final String BUFFER_STORE = "scorer-batch";
    /** Images scored without a checkpoint, waiting for their refinement. */
    public static final String AWAITING_REFINEMENT_STORE = "scorer-awaiting-refinement";
    /** Images kept for re-scoring with a clearly better checkpoint. */
    public static final String RESCORE_IMAGES_STORE = "scorer-rescore-images";
    /** The checkpoint that last examined each image kept for re-scoring. */
    public static final String RESCORE_STATE_STORE = "scorer-rescore-state";

    static final String SOURCE = "images";
    static final String SCORER_NODE = "score-images";
    static final String SCORES_SINK = "scores";
    static final String DEAD_LETTER_SINK = "dead-letters";

    private ScorerTopology() {}

    /**
     * Builds the topology, counting into {@code metrics}; side-effect free. Model calls run on a
     * thread per task, {@code settings.batching().modelConcurrency()} at a time in the instance.
     */
    public static Topology build(
            SerdeFactory serdes,
            ScoringEngine engine,
            ScorerSettings settings,
            String deadLetterTopic,
            PipelineMetrics metrics) {
        return build(
                serdes,
                engine,
                settings,
                deadLetterTopic,
                metrics,
                ModelLane.threaded(settings.batching().modelConcurrency()));
    }

    /** Builds the topology with model calls run by the lanes of {@code lanes}. */
    static Topology build(
            SerdeFactory serdes,
            ScoringEngine engine,
            ScorerSettings settings,
            String deadLetterTopic,
            PipelineMetrics metrics,
            ModelLane.Factory lanes) {
        var keySerde = CcdTopics.IMAGES.keySerde(serdes);
        var imageSerde = CcdTopics.IMAGES.valueSerde(serdes);
        // buffered images may be inline images of up to 1 MiB
        Map<String, String> changelog = Map.of("max.message.bytes", CcdTopics.IMAGE_TOPIC_MAX_MESSAGE_BYTES);
        Topology topology = new Topology();
        topology.addSource(SOURCE, keySerde.deserializer(), imageSerde.deserializer(), CcdTopics.IMAGES.name());
        topology.addProcessor(
                SCORER_NODE,
                () -> new ScorerProcessor(
                        engine, settings, keySerde.serializer(), imageSerde.serializer(), metrics, lanes),
                SOURCE);
        for (String store : new String[] {BUFFER_STORE, AWAITING_REFINEMENT_STORE, RESCORE_IMAGES_STORE}) {
            topology.addStateStore(
                    Stores.keyValueStoreBuilder(
                                    Stores.persistentKeyValueStore(store),
                                    serdes.serde(ImageKey.class, true),
                                    serdes.serde(PendingImage.class, false))
                            .withLoggingEnabled(changelog),
                    SCORER_NODE);
        }
        topology.addStateStore(
                Stores.keyValueStoreBuilder(
                                Stores.persistentKeyValueStore(RESCORE_STATE_STORE),
                                serdes.serde(ImageKey.class, true),
                                serdes.serde(RescoreState.class, false))
                        .withLoggingEnabled(Map.of()),
                SCORER_NODE);
        topology.addSink(
                SCORES_SINK,
                CcdTopics.SCORES.name(),
                CcdTopics.SCORES.keySerde(serdes).serializer(),
                CcdTopics.SCORES.valueSerde(serdes).serializer(),
                SCORER_NODE);
        topology.addSink(
                DEAD_LETTER_SINK, deadLetterTopic, new ByteArraySerializer(), new ByteArraySerializer(), SCORER_NODE);
        return topology;
    }
}
