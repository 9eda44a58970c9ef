package io.ccdstream.streams.bias;

import io.ccdstream.schemas.BiasWindowState;
import io.ccdstream.schemas.ClassSetKey;
import io.ccdstream.streams.Topics;
import io.ccdstream.topics.CcdTopics;
import io.ccdstream.topics.SerdeFactory;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.kstream.Named;
import org.apache.kafka.streams.kstream.Repartitioned;
import org.apache.kafka.streams.state.Stores;

/**
 * The bias service: {@code ccd.scores -> by class set -> window -> ccd.bias}. Each image counts
 * once: the backfill's re-scores ({@code rescore}) are skipped. Scores are
 * repartitioned by class set so that one task sees every image of a class set; the window state
 * is a changelogged store, so the estimate survives restarts.
 */
public final class BiasTopology {

    /** Service name, part of the application id. */
    public static final String SERVICE = "bias";
    /** Store of the bias window per class set. */
    public static final String WINDOW_STORE = "bias-window";

    private BiasTopology() {}

    /** Builds the topology; side-effect free. */
    public static Topology build(SerdeFactory serdes, BiasSettings settings) {
        StreamsBuilder builder = new StreamsBuilder();
        builder.addStateStore(Stores.keyValueStoreBuilder(
                        Stores.persistentKeyValueStore(WINDOW_STORE),
                        serdes.serde(ClassSetKey.class, true),
                        serdes.serde(BiasWindowState.class, false))
                // one store write and changelog record per class set and commit, not per image
                .withCachingEnabled());
        builder.stream(CcdTopics.SCORES.name(), Topics.consumed(CcdTopics.SCORES, serdes))
                .filterNot((imageKey, scores) -> scores.getRescore(), Named.as("first-score-only"))
                .selectKey((imageKey, scores) -> new ClassSetKey(scores.getClassSetId()), Named.as("by-class-set"))
                .repartition(Repartitioned.<ClassSetKey, io.ccdstream.schemas.Scores>as("scores-by-class-set")
                        .withKeySerde(serdes.serde(ClassSetKey.class, true))
                        .withValueSerde(CcdTopics.SCORES.valueSerde(serdes)))
                .process(() -> new BiasProcessor(settings), Named.as("bias-window"), WINDOW_STORE)
                .to(CcdTopics.BIAS.name(), Topics.produced(CcdTopics.BIAS, serdes));
        return builder.build();
    }
}
