package io.ccdstream.topics;

import java.util.Map;
import java.util.Objects;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.common.serialization.Serde;

/**
 * A topic of the pipeline: its name, the Avro types of its keys and values, and the settings it is
 * created with. Immutable; the constants live in {@link CcdTopics}.
 *
 * @param name      topic name
 * @param keyType   generated Avro class of the keys
 * @param valueType generated Avro class of the values
 * @param configs   topic-level configs applied at creation (cleanup policy, message size...)
 */
public record Topic<K extends SpecificRecord, V extends SpecificRecord>(
        String name, Class<K> keyType, Class<V> valueType, Map<String, String> configs) {

    /** Validates and freezes the parts. */
    public Topic {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(keyType, "keyType");
        Objects.requireNonNull(valueType, "valueType");
        configs = Map.copyOf(configs);
    }

    /** Serde of the keys. */
    public Serde<K> keySerde(SerdeFactory serdes) {
        return serdes.serde(keyType, true);
    }

    /** Serde of the values. */
    public Serde<V> valueSerde(SerdeFactory serdes) {
        return serdes.serde(valueType, false);
    }

    /** Whether the topic keeps only the latest record per key. */
    public boolean compacted() {
        return "compact".equals(configs.get("cleanup.policy"));
    }
}
