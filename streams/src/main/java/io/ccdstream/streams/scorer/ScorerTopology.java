package io.ccdstream.streams.scorer;

import io.ccdstream.streams.CcdTopics;
import io.ccdstream.streams.SerdeFactory;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.kstream.Named;

/** The scorer service: {@code ccd.images -> score -> ccd.scores}. */
public final class ScorerTopology {

    /** Service name, part of the application id. */
    public static final String SERVICE = "scorer";

    private ScorerTopology() {
    }

    /** Builds the topology; side-effect free. */
    public static Topology build(SerdeFactory serdes, ImageScorer scorer) {
        StreamsBuilder builder = new StreamsBuilder();
        builder.stream(CcdTopics.IMAGES.name(), CcdTopics.IMAGES.consumed(serdes))
            .mapValues(scorer::score, Named.as("score-image"))
            .to(CcdTopics.SCORES.name(), CcdTopics.SCORES.produced(serdes));
        return builder.build();
    }
}
