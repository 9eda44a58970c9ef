package io.ccdstream.topics;

import io.ccdstream.registry.AvroSerde;
import io.ccdstream.registry.SchemaRegistryClient;
import io.ccdstream.schemas.TrustedSchemas;
import java.util.HashMap;
import java.util.Map;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.common.serialization.Serde;

/**
 * Schema-registry Avro serdes of the project's records (Confluent wire format, TopicNameStrategy
 * subjects), sharing one registry client and its caches.
 */
public final class RegistrySerdes implements SerdeFactory {

    private final SchemaRegistryClient client;
    private final Map<String, Object> settings;

    /** Serdes speaking to the registry described by {@code settings} ({@code schema.registry.url}, ...). */
    public RegistrySerdes(Map<String, ?> settings) {
        TrustedSchemas.install();
        this.settings = new HashMap<>(settings);
        this.settings.put("specific.avro.reader", true);
        this.client = SchemaRegistryClient.create(this.settings);
    }

    @Override
    public <T extends SpecificRecord> Serde<T> serde(Class<T> type, boolean isKey) {
        return AvroSerde.specific(type, client, settings, isKey);
    }

    /** The shared registry client. */
    public SchemaRegistryClient client() {
        return client;
    }
}
