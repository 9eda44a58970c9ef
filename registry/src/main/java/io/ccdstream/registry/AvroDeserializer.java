package io.ccdstream.registry;

import java.io.IOException;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericDatumReader;
import org.apache.avro.io.DatumReader;
import org.apache.avro.io.DecoderFactory;
import org.apache.avro.specific.SpecificDatumReader;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.serialization.Deserializer;

/**
 * Deserializes Confluent wire-format Avro records: reads the schema id in front of the payload,
 * fetches that writer schema from the registry (cached), and decodes the rest, resolving it to a
 * reader schema by Avro's schema-resolution rules.
 *
 * <p>The reader schema is, by construction and configuration:
 * <ul>
 *   <li>the schema of the {@link SpecificRecord} class given to the constructor, if any;</li>
 *   <li>else, with {@code specific.avro.reader=true}, the schema of the generated class named by
 *       the writer schema;</li>
 *   <li>else the writer schema itself, giving {@link org.apache.avro.generic.GenericRecord}.</li>
 * </ul>
 * Generated classes in {@code io.ccdstream.*} (and in the package of a class given to the
 * constructor) load without setting {@code org.apache.avro.SERIALIZABLE_PACKAGES}.
 *
 * <p>Bad input throws {@link SerializationException} naming the topic: a payload that is not in
 * the wire format (too short, magic byte other than 0), a schema id the registry does not know,
 * or bytes that do not decode with the writer schema. An unreachable or failing registry throws
 * {@link SchemaRegistryException} instead, so that a dead-letter handler keyed on
 * {@code SerializationException} does not swallow an outage.
 *
 * @param <T> the record type
 */
public class AvroDeserializer<T> implements Deserializer<T> {

    private final Class<?> readerType;
    private final ConcurrentMap<Integer, DatumReader<Object>> readers = new ConcurrentHashMap<>();
    private final TrustedSpecificData specificData;
    private SchemaRegistryClient client;
    private boolean isKey;
    private boolean specificReader;
    private boolean configured;

    /** For Kafka's reflective instantiation: the client is built from the configuration. */
    public AvroDeserializer() {
        this(null);
    }

    /**
     * @param client the registry client to share, or null to build one from the configuration
     */
    public AvroDeserializer(SchemaRegistryClient client) {
        this(client, null);
    }

    /**
     * A deserializer that always returns instances of one generated class, whatever schema
     * version the record was written with (as long as Avro can resolve it).
     *
     * @param client     the registry client to share, or null to build one from the configuration
     * @param readerType a generated {@link SpecificRecord} class, or null for the configured behaviour
     */
    public AvroDeserializer(SchemaRegistryClient client, Class<T> readerType) {
        if (readerType != null && !SpecificRecord.class.isAssignableFrom(readerType)) {
            throw new IllegalArgumentException(readerType.getName() + " is not a generated Avro SpecificRecord class");
        }
        this.client = client;
        this.readerType = readerType;
        this.specificData = new TrustedSpecificData(loaderFor(readerType));
        if (readerType != null) {
            specificData.trust(readerType);
        }
    }

    /**
     * @param configs settings, see {@link AvroSerdeConfig}; {@code schema.registry.url} is required
     * @param isKey   whether this deserializes keys
     */
    @Override
    public void configure(Map<String, ?> configs, boolean isKey) {
        AvroSerdeConfig config = new AvroSerdeConfig(configs);
        this.isKey = isKey;
        this.specificReader = config.specificAvroReader();
        if (client == null) {
            client = new SchemaRegistryClient(config);
        }
        configured = true;
    }

    void useClient(SchemaRegistryClient shared) {
        this.client = shared;
    }

    @Override
    @SuppressWarnings("unchecked")
    public T deserialize(String topic, byte[] data) {
        if (data == null) {
            return null;
        }
        if (!configured) {
            throw new IllegalStateException("AvroDeserializer used before configure()");
        }
        int schemaId = WireFormat.schemaId(data, topic, isKey);
        DatumReader<Object> reader = readerFor(schemaId, topic);
        try {
            return (T) reader.read(
                    null,
                    DecoderFactory.get()
                            .binaryDecoder(data, WireFormat.HEADER_SIZE, data.length - WireFormat.HEADER_SIZE, null));
        } catch (IOException | RuntimeException e) {
            throw new SerializationException(
                    "Cannot decode Avro " + part() + " from topic " + topic + " with writer schema id " + schemaId
                            + ": " + e,
                    e);
        }
    }

    private DatumReader<Object> readerFor(int schemaId, String topic) {
        DatumReader<Object> cached = readers.get(schemaId);
        if (cached != null) {
            return cached;
        }
        Schema writer = writerSchema(schemaId, topic);
        DatumReader<Object> reader = newReader(writer, topic);
        DatumReader<Object> raced = readers.putIfAbsent(schemaId, reader);
        return raced == null ? reader : raced;
    }

    private Schema writerSchema(int schemaId, String topic) {
        try {
            return client.getById(schemaId);
        } catch (SchemaRegistryException e) {
            if (e.errorCode() == SchemaRegistryException.SCHEMA_NOT_FOUND || e.status() == 404) {
                throw new SerializationException(
                        "Unknown schema id " + schemaId + " at start of " + part() + " from topic " + topic
                                + ": the schema registry has no such schema",
                        e);
            }
            throw e;
        }
    }

    private DatumReader<Object> newReader(Schema writer, String topic) {
        if (readerType != null) {
            return new SpecificDatumReader<>(writer, specificData.getSchema(readerType), specificData);
        }
        if (specificReader && writer.getType() == Schema.Type.RECORD) {
            Class<?> generated = specificData.getClass(writer);
            if (generated == null) {
                throw new SerializationException("specific.avro.reader is set but no generated class "
                        + writer.getFullName() + " is on the class path, for " + part() + " from topic " + topic);
            }
            return new SpecificDatumReader<>(writer, specificData.getSchema(generated), specificData);
        }
        return new GenericDatumReader<>(writer, writer, GenericData.get());
    }

    private String part() {
        return isKey ? "key" : "value";
    }

    private static ClassLoader loaderFor(Class<?> readerType) {
        if (readerType != null) {
            return readerType.getClassLoader();
        }
        ClassLoader context = Thread.currentThread().getContextClassLoader();
        return context != null ? context : AvroDeserializer.class.getClassLoader();
    }
}
