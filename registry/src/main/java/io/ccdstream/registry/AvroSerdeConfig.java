package io.ccdstream.registry;

import java.util.Map;
import org.apache.kafka.common.config.ConfigDef;
import org.apache.kafka.common.config.ConfigDef.Importance;
import org.apache.kafka.common.config.ConfigDef.Type;

/**
 * Settings of {@link AvroSerializer}, {@link AvroDeserializer} and {@link AvroSerde}: the
 * registry client keys plus the serde keys, all under Confluent's names.
 */
public class AvroSerdeConfig extends SchemaRegistryClientConfig {

    /** Whether the serializer registers a record's schema under its subject when needed. */
    public static final String AUTO_REGISTER_SCHEMAS_CONFIG = "auto.register.schemas";

    private static final String AUTO_REGISTER_SCHEMAS_DOC = "Whether the serializer registers the"
            + " record's schema under the subject when it is not there yet. Turn off in production,"
            + " where schemas are registered ahead by a release step, so that a rogue writer cannot"
            + " evolve a topic's schema.";

    /** Whether the serializer writes with the subject's latest registered schema. */
    public static final String USE_LATEST_VERSION_CONFIG = "use.latest.version";

    private static final String USE_LATEST_VERSION_DOC = "Whether the serializer writes with the latest"
            + " schema registered under the subject instead of looking up the record's own schema."
            + " Only used when auto.register.schemas is false. The latest schema is fetched once per"
            + " subject and kept for the life of the serializer.";

    /** Whether the deserializer returns generated SpecificRecord classes instead of GenericRecord. */
    public static final String SPECIFIC_AVRO_READER_CONFIG = "specific.avro.reader";

    private static final String SPECIFIC_AVRO_READER_DOC = "Whether the deserializer returns instances"
            + " of the generated SpecificRecord class named by the writer schema (resolved to that class's"
            + " schema) instead of GenericRecord.";

    private static final ConfigDef CONFIG = clientConfigDef()
            .define(AUTO_REGISTER_SCHEMAS_CONFIG, Type.BOOLEAN, true, Importance.MEDIUM, AUTO_REGISTER_SCHEMAS_DOC)
            .define(USE_LATEST_VERSION_CONFIG, Type.BOOLEAN, false, Importance.LOW, USE_LATEST_VERSION_DOC)
            .define(SPECIFIC_AVRO_READER_CONFIG, Type.BOOLEAN, false, Importance.LOW, SPECIFIC_AVRO_READER_DOC);

    /**
     * @param props the settings; {@code schema.registry.url} is required
     * @throws org.apache.kafka.common.config.ConfigException when a setting is missing or invalid
     */
    public AvroSerdeConfig(Map<?, ?> props) {
        super(CONFIG, props);
    }

    /** @return the definition of every serde key, e.g. for generating documentation */
    public static ConfigDef configDef() {
        return new ConfigDef(CONFIG);
    }

    /** @return whether the serializer may register schemas */
    public boolean autoRegisterSchemas() {
        return getBoolean(AUTO_REGISTER_SCHEMAS_CONFIG);
    }

    /** @return whether the serializer writes with the subject's latest schema */
    public boolean useLatestVersion() {
        return getBoolean(USE_LATEST_VERSION_CONFIG);
    }

    /** @return whether the deserializer returns SpecificRecord instances */
    public boolean specificAvroReader() {
        return getBoolean(SPECIFIC_AVRO_READER_CONFIG);
    }
}
