package io.ccdstream.streams.labeler;

import io.ccdstream.schemas.Bias;
import io.ccdstream.schemas.ClassSetKey;
import io.ccdstream.schemas.ImageKey;
import io.ccdstream.schemas.Label;
import io.ccdstream.schemas.Review;
import io.ccdstream.schemas.Scores;
import io.ccdstream.streams.Topics;
import io.ccdstream.streams.metrics.PipelineMetrics;
import io.ccdstream.topics.CcdTopics;
import io.ccdstream.topics.SerdeFactory;
import org.apache.kafka.common.utils.Bytes;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.kstream.Materialized;
import org.apache.kafka.streams.kstream.Named;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.Stores;

/**
 * The labeler service: {@code ccd.scores} joined with the global {@code ccd.bias} table ->
 * debias, mix -> {@code ccd.labels}, one label per image; labels are recomputed when the bias
 * moves (see {@link LabelerSettings}); {@code ccd.reviews} -> VERIFIED labels of the reviewed images
 * (see {@link ReviewProcessor}).
 */
public final class LabelerTopology {

    /** Service name, part of the application id. */
    public static final String SERVICE = "labeler";
    /** Global store of the current bias per class set. */
    public static final String BIAS_STORE = "bias-global";
    /** Raw scores per image, to recompute labels. */
    public static final String SCORES_STORE = "scores-by-image";
    /** Latest label per image, for interactive queries. */
    public static final String LABEL_STORE = "labels-by-image";
    /** Per class set, the bias whose move started the latest recomputation of its labels. */
    public static final String RELABEL_STORE = "relabelled-against";
    /** Store of where each class set's recomputation in progress stopped. */
    public static final String RELABEL_CURSOR_STORE = "relabel-cursor";
    /** The latest review per image, applied to every later label of the image. */
    public static final String REVIEW_STORE = "reviews-by-image";

    private LabelerTopology() {}

    /** Builds the topology, counting into {@code metrics}; side-effect free. */
    public static Topology build(
            SerdeFactory serdes, LabelMaker maker, LabelerSettings settings, PipelineMetrics metrics) {
        StreamsBuilder builder = new StreamsBuilder();
        builder.globalTable(
                CcdTopics.BIAS.name(),
                Topics.consumed(CcdTopics.BIAS, serdes),
                Materialized.<ClassSetKey, Bias, KeyValueStore<Bytes, byte[]>>as(BIAS_STORE)
                        .withKeySerde(CcdTopics.BIAS.keySerde(serdes))
                        .withValueSerde(CcdTopics.BIAS.valueSerde(serdes)));
        builder.addStateStore(Stores.keyValueStoreBuilder(
                Stores.persistentKeyValueStore(SCORES_STORE),
                serdes.serde(ImageKey.class, true),
                serdes.serde(Scores.class, false)));
        builder.addStateStore(Stores.keyValueStoreBuilder(
                Stores.persistentKeyValueStore(LABEL_STORE),
                serdes.serde(ImageKey.class, true),
                serdes.serde(Label.class, false)));
        builder.addStateStore(Stores.keyValueStoreBuilder(
                Stores.persistentKeyValueStore(RELABEL_STORE),
                serdes.serde(ClassSetKey.class, true),
                serdes.serde(Bias.class, false)));
        builder.addStateStore(Stores.keyValueStoreBuilder(
                Stores.persistentKeyValueStore(RELABEL_CURSOR_STORE),
                serdes.serde(ClassSetKey.class, true),
                serdes.serde(ImageKey.class, false)));
        builder.addStateStore(Stores.keyValueStoreBuilder(
                Stores.persistentKeyValueStore(REVIEW_STORE),
                serdes.serde(ImageKey.class, true),
                serdes.serde(Review.class, false)));
        builder.stream(CcdTopics.SCORES.name(), Topics.consumed(CcdTopics.SCORES, serdes))
                .process(
                        () -> new LabelProcessor(maker, settings, metrics),
                        Named.as("label"),
                        SCORES_STORE,
                        LABEL_STORE,
                        RELABEL_STORE,
                        RELABEL_CURSOR_STORE,
                        REVIEW_STORE)
                .to(CcdTopics.LABELS.name(), Topics.produced(CcdTopics.LABELS, serdes));
        builder.stream(CcdTopics.REVIEWS.name(), Topics.consumed(CcdTopics.REVIEWS, serdes))
                .process(
                        () -> new ReviewProcessor(maker, metrics),
                        Named.as("review"),
                        SCORES_STORE,
                        LABEL_STORE,
                        REVIEW_STORE)
                .to(CcdTopics.LABELS.name(), Topics.produced(CcdTopics.LABELS, serdes));
        return builder.build();
    }
}
