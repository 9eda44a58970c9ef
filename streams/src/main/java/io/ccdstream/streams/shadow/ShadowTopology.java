package io.ccdstream.streams.shadow;

import io.ccdstream.schemas.Checkpoint;
import io.ccdstream.schemas.ClassSetKey;
import io.ccdstream.schemas.Image;
import io.ccdstream.schemas.ShadowResult;
import io.ccdstream.streams.Topics;
import io.ccdstream.streams.scorer.ScoringEngine;
import io.ccdstream.topics.CcdTopics;
import io.ccdstream.topics.SerdeFactory;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Clock;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.kstream.KStream;
import org.apache.kafka.streams.kstream.Named;
import org.apache.kafka.streams.kstream.Repartitioned;
import org.apache.kafka.streams.state.Stores;

/**
 * The shadow service: {@code ccd.images -> sample by class set -> judge candidates -> ccd.shadow
 * and ccd.checkpoints (PROMOTED / REJECTED)}. Sampled images are repartitioned by class set so
 * that one task judges each class set's candidates; the sample and the verdicts are changelogged
 * stores, and a verdict commits with its outputs (exactly-once).
 */
public final class ShadowTopology {

    /** Service name, part of the application id. */
    public static final String SERVICE = "shadow";
    /** Store of the sampled images, a ring per class set. */
    public static final String SAMPLE_STORE = "shadow-sample";
    /** Store of the ring positions and of the last judged version per class set. */
    public static final String STATE_STORE = "shadow-state";

    /** Counter of the verdicts. */
    public static final String VERDICTS_METRIC = "ccd_shadow_verdicts";

    private ShadowTopology() {}

    /**
     * Builds the topology; side-effect free.
     *
     * @param candidateEngine scores with the candidate ({@link ShadowFollower#candidates()})
     * @param currentEngine   scores with the checkpoint in use ({@link ShadowFollower#current()})
     */
    public static Topology build(
            SerdeFactory serdes,
            ShadowSettings settings,
            ShadowFollower follower,
            ScoringEngine candidateEngine,
            ScoringEngine currentEngine,
            Clock clock,
            MeterRegistry registry) {
        StreamsBuilder builder = new StreamsBuilder();
        builder.addStateStore(Stores.keyValueStoreBuilder(
                Stores.persistentKeyValueStore(SAMPLE_STORE), Serdes.String(), CcdTopics.IMAGES.valueSerde(serdes)));
        builder.addStateStore(Stores.keyValueStoreBuilder(
                Stores.persistentKeyValueStore(STATE_STORE), Serdes.String(), Serdes.Long()));
        KStream<ClassSetKey, SpecificRecord> out = builder.stream(
                        CcdTopics.IMAGES.name(), Topics.consumed(CcdTopics.IMAGES, serdes))
                .filter((key, image) -> image != null && settings.sampled(image.getImageId()), Named.as("sample"))
                .selectKey((key, image) -> new ClassSetKey(image.getClassSetId()), Named.as("by-class-set"))
                .repartition(Repartitioned.<ClassSetKey, Image>as("sample-by-class-set")
                        .withKeySerde(serdes.serde(ClassSetKey.class, true))
                        .withValueSerde(CcdTopics.IMAGES.valueSerde(serdes)))
                .process(
                        () -> new ShadowProcessor(settings, follower, candidateEngine, currentEngine, clock, registry),
                        Named.as("shadow-judge"),
                        SAMPLE_STORE,
                        STATE_STORE);
        out.filter((key, value) -> value instanceof ShadowResult, Named.as("results"))
                .mapValues(value -> (ShadowResult) value, Named.as("as-result"))
                .to(CcdTopics.SHADOW.name(), Topics.produced(CcdTopics.SHADOW, serdes));
        out.filter((key, value) -> value instanceof Checkpoint, Named.as("verdicts"))
                .mapValues(value -> (Checkpoint) value, Named.as("as-checkpoint"))
                .to(CcdTopics.CHECKPOINTS.name(), Topics.produced(CcdTopics.CHECKPOINTS, serdes));
        return builder.build();
    }
}
