package io.ccdstream.topics;

import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.common.serialization.Serde;

/** Makes the schema-registry serdes of the project's Avro records, configured once per application. */
@FunctionalInterface
public interface SerdeFactory {

    /**
     * A serde for records of {@code type}.
     *
     * @param type  the generated record class
     * @param isKey whether the serde is for record keys (subject {@code <topic>-key}) or values
     */
    <T extends SpecificRecord> Serde<T> serde(Class<T> type, boolean isKey);
}
