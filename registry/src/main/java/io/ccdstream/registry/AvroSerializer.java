package io.ccdstream.registry;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import org.apache.avro.Schema;
import org.apache.avro.SchemaCompatibility;
import org.apache.avro.generic.GenericContainer;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericDatumReader;
import org.apache.avro.generic.GenericDatumWriter;
import org.apache.avro.io.BinaryEncoder;
import org.apache.avro.io.DatumWriter;
import org.apache.avro.io.DecoderFactory;
import org.apache.avro.io.EncoderFactory;
import org.apache.avro.specific.SpecificData;
import org.apache.avro.specific.SpecificDatumWriter;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.serialization.Serializer;

/**
 * Serializes Avro records ({@link org.apache.avro.generic.GenericRecord} or generated
 * {@link SpecificRecord} classes) in Confluent's wire format: magic byte 0, the 4-byte schema id,
 * then the Avro binary encoding. The subject is {@code <topic>-key} or {@code <topic>-value}.
 *
 * <p>Which schema id goes in front, by {@link AvroSerdeConfig}:
 * <ul>
 *   <li>{@code auto.register.schemas=true} (default): the record's schema, registered under the
 *       subject if it is not there yet;</li>
 *   <li>else {@code use.latest.version=true}: the subject's latest schema; a record of another
 *       schema is converted to it when the latest schema can read it;</li>
 *   <li>else: the record's schema, which must already be registered under the subject.</li>
 * </ul>
 *
 * <p>A value that is not an Avro record, or a schema the registry refuses or does not hold,
 * throws {@link SerializationException}. An unreachable or failing registry throws
 * {@link SchemaRegistryException}, which is not a bad-record condition.
 *
 * @param <T> the record type
 */
public class AvroSerializer<T> implements Serializer<T> {

    private record Target(int id, Schema schema) {}

    private record WriterKey(Schema schema, Class<?> type) {}

    private final ConcurrentMap<WriterKey, DatumWriter<Object>> writers = new ConcurrentHashMap<>();
    private final ConcurrentMap<String, Target> latest = new ConcurrentHashMap<>();
    private SchemaRegistryClient client;
    private AvroSerdeConfig config;
    private boolean isKey;

    /** For Kafka's reflective instantiation: the client is built from the configuration. */
    public AvroSerializer() {
        this(null);
    }

    /**
     * @param client the registry client to share, or null to build one from the configuration
     */
    public AvroSerializer(SchemaRegistryClient client) {
        this.client = client;
    }

    /**
     * @param configs settings, see {@link AvroSerdeConfig}; {@code schema.registry.url} is required
     * @param isKey   whether this serializes keys (subject {@code <topic>-key})
     */
    @Override
    public void configure(Map<String, ?> configs, boolean isKey) {
        this.config = new AvroSerdeConfig(configs);
        this.isKey = isKey;
        if (client == null) {
            client = new SchemaRegistryClient(config);
        }
    }

    void useClient(SchemaRegistryClient shared) {
        this.client = shared;
    }

    @Override
    public byte[] serialize(String topic, T data) {
        if (data == null) {
            return null;
        }
        if (config == null) {
            throw new IllegalStateException("AvroSerializer used before configure()");
        }
        Schema schema = schemaOf(data, topic);
        String subject = TopicNameStrategy.subjectName(topic, isKey);
        Target target = target(subject, schema);
        Object datum = target.schema().equals(schema) ? data : convert(data, schema, target, subject);
        return encode(target.id(), writerFor(target.schema(), datum), datum);
    }

    private Schema schemaOf(T data, String topic) {
        if (data instanceof GenericContainer container) {
            return container.getSchema();
        }
        throw new SerializationException("AvroSerializer writes GenericRecord or SpecificRecord, got "
                + data.getClass().getName() + " for " + part() + " of topic " + topic);
    }

    private Target target(String subject, Schema schema) {
        try {
            if (config.autoRegisterSchemas()) {
                return new Target(client.register(subject, schema), schema);
            }
            if (config.useLatestVersion()) {
                return latest.computeIfAbsent(subject, s -> {
                    RegisteredSchema found = client.getLatest(s);
                    return new Target(found.id(), found.schema());
                });
            }
            return new Target(client.lookup(subject, schema).id(), schema);
        } catch (SchemaRegistryException e) {
            if (e.status() == SchemaRegistryException.NO_RESPONSE || e.status() >= 500) {
                throw e;
            }
            if (!config.autoRegisterSchemas()
                    && config.useLatestVersion()
                    && e.errorCode() == SchemaRegistryException.SUBJECT_NOT_FOUND) {
                throw new SerializationException(
                        "Subject " + subject + " has no registered schema to write " + part() + "s with:"
                                + " auto.register.schemas=false and use.latest.version=true need its schema"
                                + " registered beforehand (ccd topics --schema-registry-url ..., or"
                                + " RegistrySerdes.registerAll())",
                        e);
            }
            throw new SerializationException(
                    "Cannot get a schema id for subject " + subject + " (auto.register.schemas="
                            + config.autoRegisterSchemas() + ", use.latest.version=" + config.useLatestVersion() + "): "
                            + e.getMessage(),
                    e);
        }
    }

    private Object convert(Object data, Schema schema, Target target, String subject) {
        SchemaCompatibility.SchemaPairCompatibility compatibility =
                SchemaCompatibility.checkReaderWriterCompatibility(target.schema(), schema);
        if (compatibility.getType() != SchemaCompatibility.SchemaCompatibilityType.COMPATIBLE) {
            throw new SerializationException(
                    "Record schema " + schema.getFullName() + " cannot be written as the latest" + " schema (id "
                            + target.id() + ") of subject " + subject + ": " + compatibility.getDescription());
        }
        byte[] own = encode(-1, writerFor(schema, data), data);
        try {
            return new GenericDatumReader<>(schema, target.schema(), GenericData.get())
                    .read(
                            null,
                            DecoderFactory.get()
                                    .binaryDecoder(
                                            own, WireFormat.HEADER_SIZE, own.length - WireFormat.HEADER_SIZE, null));
        } catch (IOException | RuntimeException e) {
            throw new SerializationException("Cannot convert record to the latest schema of subject " + subject, e);
        }
    }

    private DatumWriter<Object> writerFor(Schema schema, Object datum) {
        return writers.computeIfAbsent(
                new WriterKey(schema, datum.getClass()),
                key -> datum instanceof SpecificRecord
                        ? new SpecificDatumWriter<>(key.schema(), SpecificData.getForClass(key.type()))
                        : new GenericDatumWriter<>(key.schema(), GenericData.get()));
    }

    private byte[] encode(int schemaId, DatumWriter<Object> writer, Object datum) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(64);
        out.writeBytes(WireFormat.header(schemaId));
        try {
            BinaryEncoder encoder = EncoderFactory.get().binaryEncoder(out, null);
            writer.write(datum, encoder);
            encoder.flush();
        } catch (IOException | RuntimeException e) {
            throw new SerializationException(
                    "Cannot encode Avro " + part() + " with schema id " + schemaId + ": " + e.getMessage(), e);
        }
        return out.toByteArray();
    }

    private String part() {
        return isKey ? "key" : "value";
    }
}
