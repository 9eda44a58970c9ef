package io.ccdstream.topics;

import io.ccdstream.registry.AvroSerde;
import io.ccdstream.registry.AvroSerdeConfig;
import io.ccdstream.registry.SchemaRegistryClient;
import io.ccdstream.registry.TopicNameStrategy;
import io.ccdstream.schemas.TrustedSchemas;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import org.apache.avro.Schema;
import org.apache.avro.specific.SpecificData;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.common.serialization.Serde;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Schema-registry Avro serdes of the project's records (Confluent wire format, TopicNameStrategy
 * subjects), sharing one registry client and its caches.
 */
public final class RegistrySerdes implements SerdeFactory {

    private static final Logger LOG = LoggerFactory.getLogger(RegistrySerdes.class);

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

    /**
     * Registers the key and value schemas of every topic of {@link CcdTopics#ALL} under their
     * subjects ({@code <topic>-key}, {@code <topic>-value}), so that writers with
     * {@code auto.register.schemas=false} find them. Idempotent: a subject already holding a
     * schema keeps its id. Does nothing when {@code auto.register.schemas=false}: schemas are then
     * registered by a release step, not by services.
     *
     * @return the id of each subject's schema, by subject, in topic order; empty when skipped
     * @throws io.ccdstream.registry.SchemaRegistryException when the registry refuses a schema
     *                                                       (e.g. incompatible) or cannot be reached
     */
    public Map<String, Integer> registerAll() {
        if (!new AvroSerdeConfig(settings).autoRegisterSchemas()) {
            LOG.info("Not registering the pipeline's schemas: {}=false", AvroSerdeConfig.AUTO_REGISTER_SCHEMAS_CONFIG);
            return Map.of();
        }
        Map<String, Integer> ids = new LinkedHashMap<>();
        for (Topic<?, ?> topic : CcdTopics.ALL) {
            register(ids, TopicNameStrategy.subjectName(topic.name(), true), topic.keyType());
            register(ids, TopicNameStrategy.subjectName(topic.name(), false), topic.valueType());
        }
        LOG.info("Registered the pipeline's schemas: {}", ids);
        return Collections.unmodifiableMap(ids);
    }

    private void register(Map<String, Integer> ids, String subject, Class<? extends SpecificRecord> type) {
        Schema schema = SpecificData.getForClass(type).getSchema(type);
        ids.put(subject, client.register(subject, schema));
    }

    /** The shared registry client. */
    public SchemaRegistryClient client() {
        return client;
    }
}
