package io.ccdstream.registry;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.util.Optional;

/**
 * JSON keys and values of the {@code _schemas} topic, laid out like Confluent Schema Registry's:
 * a schema version under {@code {"keytype":"SCHEMA","subject":..,"version":..,"magic":1}}, a
 * compatibility setting under {@code {"keytype":"CONFIG","subject":..,"magic":0}}. Keys are
 * written with a fixed field order, so that compaction sees one key per fact. Records of other
 * key types (Confluent's NOOP, MODE, DELETE_SUBJECT...) are skipped when read.
 */
final class StoreRecordCodec {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String SCHEMA_KEY = "SCHEMA";
    private static final String CONFIG_KEY = "CONFIG";

    private StoreRecordCodec() {}

    static byte[] key(StoreRecord record) {
        ObjectNode key = JSON.createObjectNode();
        if (record instanceof StoreRecord.SchemaVersion version) {
            key.put("keytype", SCHEMA_KEY)
                    .put("subject", version.subject())
                    .put("version", version.version())
                    .put("magic", 1);
        } else if (record instanceof StoreRecord.Compatibility config) {
            key.put("keytype", CONFIG_KEY).put("subject", config.subject()).put("magic", 0);
        }
        return bytes(key);
    }

    /** @return the value, or null (a tombstone) for a removed compatibility setting */
    static byte[] value(StoreRecord record) {
        if (record instanceof StoreRecord.SchemaVersion version) {
            return bytes(JSON.createObjectNode()
                    .put("subject", version.subject())
                    .put("version", version.version())
                    .put("id", version.id())
                    .put("schema", version.schema())
                    .put("deleted", version.deleted()));
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
            default -> Optional.empty();
        };
    }

    private static StoreRecord.SchemaVersion schemaVersion(JsonNode key, JsonNode value, String subject)
            throws IOException {
        if (subject == null) {
            throw new IOException("schema key without subject: " + key);
        }
        if (value == null) {
            return new StoreRecord.SchemaVersion(subject, key.path("version").asInt(), 0, "", true);
        }
        return new StoreRecord.SchemaVersion(
                subject,
                value.path("version").asInt(),
                value.path("id").asInt(),
                value.path("schema").asText(),
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
