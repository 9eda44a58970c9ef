package io.ccdstream.registry;

import java.util.Map;
import org.apache.avro.generic.GenericRecord;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serializer;

/**
 * An {@link AvroSerializer} and {@link AvroDeserializer} pair sharing one registry client.
 *
 * <p>For a topic of generated records, use {@link #specific(Class, Map, boolean)}:
 * <pre>{@code
 * Serde<ImageLabel> labels = AvroSerde.specific(ImageLabel.class,
 *     Map.of("schema.registry.url", "http://localhost:8081"), false);
 * }</pre>
 *
 * @param <T> the record type
 */
public class AvroSerde<T> implements Serde<T> {

    private final AvroSerializer<T> serializer;
    private final AvroDeserializer<T> deserializer;
    private boolean hasClient;

    /** For Kafka's reflective instantiation: generic or specific by {@code specific.avro.reader}. */
    public AvroSerde() {
        this(null, null);
    }

    /**
     * @param client the registry client to share, or null to build one from the configuration
     */
    public AvroSerde(SchemaRegistryClient client) {
        this(client, null);
    }

    private AvroSerde(SchemaRegistryClient client, Class<T> readerType) {
        this.serializer = new AvroSerializer<>(client);
        this.deserializer = new AvroDeserializer<>(client, readerType);
        this.hasClient = client != null;
    }

    /**
     * A configured serde for a generated record class, with its own registry client.
     *
     * @param type   the generated class; deserialized records are always of this class
     * @param config settings, see {@link AvroSerdeConfig}; {@code schema.registry.url} is required
     * @param isKey  whether the serde is for keys ({@code <topic>-key}) or values ({@code <topic>-value})
     * @param <T>    the record type
     * @return the serde, ready to use
     */
    public static <T extends SpecificRecord> AvroSerde<T> specific(
            Class<T> type, Map<String, ?> config, boolean isKey) {
        return specific(type, null, config, isKey);
    }

    /**
     * A configured serde for a generated record class, sharing a registry client.
     *
     * @param type   the generated class; deserialized records are always of this class
     * @param client the client to share, or null to build one from {@code config}
     * @param config settings, see {@link AvroSerdeConfig}; {@code schema.registry.url} is required
     * @param isKey  whether the serde is for keys or values
     * @param <T>    the record type
     * @return the serde, ready to use
     */
    public static <T extends SpecificRecord> AvroSerde<T> specific(
            Class<T> type, SchemaRegistryClient client, Map<String, ?> config, boolean isKey) {
        AvroSerde<T> serde = new AvroSerde<>(client, type);
        serde.configure(config, isKey);
        return serde;
    }

    /**
     * A configured serde for {@link GenericRecord}s.
     *
     * @param client the client to share, or null to build one from {@code config}
     * @param config settings, see {@link AvroSerdeConfig}; {@code schema.registry.url} is required
     * @param isKey  whether the serde is for keys or values
     * @return the serde, ready to use
     */
    public static AvroSerde<GenericRecord> generic(SchemaRegistryClient client, Map<String, ?> config, boolean isKey) {
        AvroSerde<GenericRecord> serde = new AvroSerde<>(client, null);
        serde.configure(config, isKey);
        return serde;
    }

    @Override
    public void configure(Map<String, ?> configs, boolean isKey) {
        if (!hasClient) {
            SchemaRegistryClient client = new SchemaRegistryClient(new AvroSerdeConfig(configs));
            serializer.useClient(client);
            deserializer.useClient(client);
            hasClient = true;
        }
        serializer.configure(configs, isKey);
        deserializer.configure(configs, isKey);
    }

    @Override
    public Serializer<T> serializer() {
        return serializer;
    }

    @Override
    public Deserializer<T> deserializer() {
        return deserializer;
    }
}
