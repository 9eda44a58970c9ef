package io.ccdstream.registry;

import java.util.Locale;
import java.util.Objects;

/**
 * One durable fact of the registry's state, as a {@link SchemaStore} keeps it. Replaying the
 * records in order rebuilds the state; a later record for the same key replaces an earlier one,
 * which is what lets the Kafka store use a compacted topic.
 */
public sealed interface StoreRecord
        permits StoreRecord.SchemaVersion,
                StoreRecord.VersionPurged,
                StoreRecord.Compatibility,
                StoreRecord.Mode,
                StoreRecord.SubjectDeleted {

    /** The schema type of Avro schemas, which Confluent leaves out of its records. */
    String AVRO = "AVRO";

    /**
     * A schema registered as a version of a subject, live or soft-deleted.
     *
     * @param subject    the subject
     * @param version    the version within the subject, from 1
     * @param id         the global schema id
     * @param schema     the schema text: Avro's canonical {@code Schema.toString()} for AVRO
     * @param schemaType {@link #AVRO}, or the type of a schema written by another registry
     *                   (PROTOBUF, JSON), which this registry keeps but does not serve by subject
     * @param deleted    whether the version is soft-deleted
     */
    record SchemaVersion(String subject, int version, int id, String schema, String schemaType, boolean deleted)
            implements StoreRecord {

        /** Validates the components. */
        public SchemaVersion {
            Objects.requireNonNull(subject, "subject");
            Objects.requireNonNull(schema, "schema");
            schemaType = schemaType == null || schemaType.isBlank() ? AVRO : schemaType.toUpperCase(Locale.ROOT);
        }

        /** An Avro version. */
        public SchemaVersion(String subject, int version, int id, String schema, boolean deleted) {
            this(subject, version, id, schema, AVRO, deleted);
        }

        /** @return this version, soft-deleted */
        public SchemaVersion asDeleted() {
            return new SchemaVersion(subject, version, id, schema, schemaType, true);
        }
    }

    /**
     * A version removed for good (a permanent delete): a tombstone of the version's key.
     *
     * @param subject the subject
     * @param version the version
     */
    record VersionPurged(String subject, int version) implements StoreRecord {}

    /**
     * Confluent's soft delete of a whole subject: every version up to {@code version} is deleted.
     * Read from Confluent-written topics; this registry writes per-version records instead.
     *
     * @param subject the subject
     * @param version the latest version deleted
     */
    record SubjectDeleted(String subject, int version) implements StoreRecord {}

    /**
     * A compatibility level set globally or for one subject.
     *
     * @param subject the subject, or null for the global level
     * @param level   the level, or null when the setting was removed
     */
    record Compatibility(String subject, CompatibilityLevel level) implements StoreRecord {}

    /**
     * A mode (READWRITE, READONLY, IMPORT) set globally or for one subject.
     *
     * @param subject the subject, or null for the global mode
     * @param mode    the mode, or null when the setting was removed
     */
    record Mode(String subject, RegistryMode mode) implements StoreRecord {}
}
