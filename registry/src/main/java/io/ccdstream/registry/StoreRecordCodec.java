package io.ccdstream.registry;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.util.Optional;

/**
 * JSON keys and values of the {@code _schemas} topic, laid out like Confluent Schema Registry's:
 * a schema version under {@code {"keytype":"SCHEMA","subject":..,"version":..,"magic":1}}, a
 * compatibility setting under {@code {"keytype":"CONFIG","subject":..,"magic":0}}, a mode under
 * {@code {"keytype":"MODE","subject":..,"magic":0}}. A soft-deleted version keeps its record with
 * {@code "deleted":true}; a permanently deleted one is a tombstone of its key. Keys are written
 * with a fixed field order, so that compaction sees one key per fact. Confluent's
 * DELETE_SUBJECT records are read; other key types (NOOP, CLEAR_SUBJECT...) are skipped.
 */
final class StoreRecordCodec {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String SCHEMA_KEY = "SCHEMA";
    private static final String CONFIG_KEY = "CONFIG";
    private static final String MODE_KEY = "MODE";
    private static final String DELETE_SUBJECT_KEY = "DELETE_SUBJECT";

    private StoreRecordCodec() {}

    static byte[] key(StoreRecord record) {
        ObjectNode key = JSON.createObjectNode();
        if (record instanceof StoreRecord.SchemaVersion version) {
            schemaKey(key, version.subject(), version.version());
        } else if (record instanceof StoreRecord.VersionPurged purged) {
            schemaKey(key, purged.subject(), purged.version());
        } else if (record instanceof StoreRecord.Compatibility config) {
            key.put("keytype", CONFIG_KEY).put("subject", config.subject()).put("magic", 0);
        } else if (record instanceof StoreRecord.Mode mode) {
            key.put("keytype", MODE_KEY).put("subject", mode.subject()).put("magic", 0);
        } else if (record instanceof StoreRecord.SubjectDeleted deleted) {
            key.put("keytype", DELETE_SUBJECT_KEY)
                    .put("subject", deleted.subject())
                    .put("magic", 0);
        }
        return bytes(key);
    }

    private static void schemaKey(ObjectNode key, String subject, int version) {
        key.put("keytype", SCHEMA_KEY)
                .put("subject", subject)
                .put("version", version)
                .put("magic", 1);
    }

    /** @return the value, or null (a tombstone) for a purged version or a removed setting */
    static byte[] value(StoreRecord record) {
        if (record instanceof StoreRecord.SchemaVersion version) {
            ObjectNode value = JSON.createObjectNode()
                    .put("subject", version.subject())
                    .put("version", version.version())
                    .put("id", version.id())
                    .put("schema", version.schema());
            if (!StoreRecord.AVRO.equals(version.schemaType())) {
                value.put("schemaType", version.schemaType());
            }
            return bytes(value.put("deleted", version.deleted()));
        }
        if (record instanceof StoreRecord.VersionPurged) {
            return null;
        }
        if (record instanceof StoreRecord.Mode mode) {
            return mode.mode() == null
                    ? null
                    : bytes(JSON.createObjectNode().put("mode", mode.mode().name()));
        }
        if (record instanceof StoreRecord.SubjectDeleted deleted) {
            return bytes(
                    JSON.createObjectNode().put("subject", deleted.subject()).put("version", deleted.version()));
        }
        StoreRecord.Compatibility config = (StoreRecord.Compatibility) record;
        return config.level() == null
                ? null
                : bytes(JSON.createObjectNode()
                        .put("compatibilityLevel", config.level().name()));
    }

    /**
     * @return the record, or empty for a key type this registry does not keep
     * @throws IOException when the key or value is not JSON of the expected shape
     */
    static Optional<StoreRecord> decode(byte[] keyBytes, byte[] valueBytes) throws IOException {
        JsonNode key = JSON.readTree(keyBytes);
        JsonNode value = valueBytes == null ? null : JSON.readTree(valueBytes);
        String subject = key.path("subject").isTextual() ? key.path("subject").asText() : null;
        return switch (key.path("keytype").asText()) {
            case SCHEMA_KEY -> Optional.of(schemaVersion(key, value, subject));
            case CONFIG_KEY ->
                Optional.of(new StoreRecord.Compatibility(
                        subject,
                        value == null
                                ? null
                                : CompatibilityLevel.parse(
                                                value.path("compatibilityLevel").asText())
                                        .orElse(null)));
            case MODE_KEY ->
                Optional.of(new StoreRecord.Mode(
                        subject,
                        value == null
                                ? null
                                : RegistryMode.parse(value.path("mode").asText())
                                        .orElse(null)));
            case DELETE_SUBJECT_KEY ->
                subject == null || value == null
                        ? Optional.empty()
                        : Optional.of(new StoreRecord.SubjectDeleted(
                                subject, value.path("version").asInt()));
            default -> Optional.empty();
        };
    }

    private static StoreRecord schemaVersion(JsonNode key, JsonNode value, String subject) throws IOException {
        if (subject == null) {
            throw new IOException("schema key without subject: " + key);
        }
        if (value == null) {
            return new StoreRecord.VersionPurged(subject, key.path("version").asInt());
        }
        JsonNode type = value.path("schemaType");
        return new StoreRecord.SchemaVersion(
                subject,
                value.path("version").asInt(),
                value.path("id").asInt(),
                value.path("schema").asText(),
                type.isTextual() ? type.asText() : null,
                value.path("deleted").asBoolean(false));
    }

    private static byte[] bytes(JsonNode node) {
        try {
            return JSON.writeValueAsBytes(node);
        } catch (IOException e) {
            throw new IllegalStateException("Cannot write store record " + node, e);
        }
    }
}
