package io.ccdstream.streams;

import io.ccdstream.topics.SerdeFactory;
import io.ccdstream.topics.Topic;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.streams.kstream.Consumed;
import org.apache.kafka.streams.kstream.Produced;

/** How a topology reads and writes a {@link Topic}. */
public final class Topics {

    private Topics() {}

    /** How a topology reads {@code topic}. */
    public static <K extends SpecificRecord, V extends SpecificRecord> Consumed<K, V> consumed(
            Topic<K, V> topic, SerdeFactory serdes) {
        return Consumed.with(topic.keySerde(serdes), topic.valueSerde(serdes));
    }

    /** How a topology writes {@code topic}. */
    public static <K extends SpecificRecord, V extends SpecificRecord> Produced<K, V> produced(
            Topic<K, V> topic, SerdeFactory serdes) {
        return Produced.with(topic.keySerde(serdes), topic.valueSerde(serdes));
    }
}
