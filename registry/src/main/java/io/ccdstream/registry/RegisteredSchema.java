package io.ccdstream.registry;

import java.util.Objects;
import org.apache.avro.Schema;

/**
 * One version of a subject: the schema registered under it, its version number within the
 * subject and its registry-wide id (the id carried in the wire format).
 *
 * @param subject the subject, e.g. {@code ccd.labels-value}
 * @param version the version within the subject, from 1
 * @param id      the global schema id
 * @param schema  the Avro schema
 */
public record RegisteredSchema(String subject, int version, int id, Schema schema) {

    /** Validates the components. */
    public RegisteredSchema {
        Objects.requireNonNull(subject, "subject");
        Objects.requireNonNull(schema, "schema");
    }
}
