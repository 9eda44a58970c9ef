package io.ccdstream.streams.alerts;

import io.ccdstream.schemas.Bias;
import io.ccdstream.schemas.ClassSetKey;
import io.ccdstream.schemas.Scores;
import io.ccdstream.streams.Topics;
import io.ccdstream.topics.CcdTopics;
import io.ccdstream.topics.SerdeFactory;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.function.LongSupplier;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.kstream.Named;
import org.apache.kafka.streams.kstream.Repartitioned;
import org.apache.kafka.streams.state.Stores;

/**
 * The drift service: {@code ccd.scores} (first scores only, by class set) and {@code ccd.bias} ->
 * drift rules -> {@code ccd.alerts}. Scores are repartitioned by class set so that one task sees a
 * class set's windows whole.
 */
public final class DriftTopology {

    /** Service name, part of the application id. */
    public static final String SERVICE = "alerts";
    /** Store of the label windows per class set. */
    public static final String WINDOW_STORE = "drift-windows";
    /** Store of the bias history per class set. */
    public static final String BIAS_STORE = "drift-bias";
    /** Counter of the alerts raised. */
    public static final String ALERTS_METRIC = "ccd_drift_alerts";

    private DriftTopology() {}

    /**
     * Builds the topology; side-effect free.
     *
     * @param deadLetters how many dead letters were written so far (the dead-letter topic's end offsets)
     */
    public static Topology build(
            SerdeFactory serdes, DriftSettings settings, LongSupplier deadLetters, MeterRegistry registry) {
        StreamsBuilder builder = new StreamsBuilder();
        for (String store : new String[] {WINDOW_STORE, BIAS_STORE}) {
            builder.addStateStore(Stores.keyValueStoreBuilder(
                    Stores.persistentKeyValueStore(store), Serdes.String(), Serdes.ByteArray()));
        }
        builder.stream(CcdTopics.SCORES.name(), Topics.consumed(CcdTopics.SCORES, serdes))
                .filterNot((key, scores) -> scores.getRescore(), Named.as("first-score-only"))
                .selectKey((key, scores) -> new ClassSetKey(scores.getClassSetId()), Named.as("by-class-set"))
                .repartition(Repartitioned.<ClassSetKey, Scores>as("drift-scores-by-class-set")
                        .withKeySerde(serdes.serde(ClassSetKey.class, true))
                        .withValueSerde(CcdTopics.SCORES.valueSerde(serdes)))
                .process(
                        () -> new DriftProcessor<Scores>(WINDOW_STORE, settings, deadLetters, registry),
                        Named.as("label-drift"),
                        WINDOW_STORE)
                .to(CcdTopics.ALERTS.name(), Topics.produced(CcdTopics.ALERTS, serdes));
        builder.stream(CcdTopics.BIAS.name(), Topics.consumed(CcdTopics.BIAS, serdes))
                .filter((key, bias) -> bias != null, Named.as("bias-only"))
                .process(
                        () -> new DriftProcessor<Bias>(BIAS_STORE, settings, () -> 0L, registry),
                        Named.as("bias-drift"),
                        BIAS_STORE)
                .to(CcdTopics.ALERTS.name(), Topics.produced(CcdTopics.ALERTS, serdes));
        return builder.build();
    }
}
