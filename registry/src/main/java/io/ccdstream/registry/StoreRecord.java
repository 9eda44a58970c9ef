package io.ccdstream.registry;

import java.util.Objects;

/**
 * One durable fact of the registry's state, as a {@link SchemaStore} keeps it. Replaying the
 * records in order rebuilds the state; a later record for the same key replaces an earlier one,
 * which is what lets the Kafka store use a compacted topic.
 */
public sealed interface StoreRecord permits StoreRecord.SchemaVersion, StoreRecord.Compatibility {

    /**
     * A schema registered as a version of a subject.
     *
     * @param subject the subject
     * @param version the version within the subject, from 1
     * @param id      the global schema id
     * @param schema  the schema in canonical form (Avro's {@code Schema.toString()})
     * @param deleted whether the version was deleted (only read from a Confluent-written topic)
     */
    record SchemaVersion(String subject, int version, int id, String schema, boolean deleted) implements StoreRecord {

        /** Validates the components. */
        public SchemaVersion {
            Objects.requireNonNull(subject, "subject");
            Objects.requireNonNull(schema, "schema");
        }
    }

    /**
     * A compatibility level set globally or for one subject.
     *
     * @param subject the subject, or null for the global level
     * @param level   the level, or null when the setting was removed
     */
    record Compatibility(String subject, CompatibilityLevel level) implements StoreRecord {}
}
