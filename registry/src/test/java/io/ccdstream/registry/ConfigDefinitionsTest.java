package io.ccdstream.registry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;
import org.apache.kafka.common.config.ConfigDef;
import org.apache.kafka.common.config.ConfigException;
import org.junit.jupiter.api.Test;

/** The typed configurations: Confluent's names, defaults, documentation and validation. */
class ConfigDefinitionsTest {

    private static final Map<String, String> URL = Map.of("schema.registry.url", "http://a:8081, http://b:8081");

    @Test
    void shouldDefaultSerdeSettingsAsConfluentDoes() {
        AvroSerdeConfig config = new AvroSerdeConfig(URL);

        assertThat(config.autoRegisterSchemas()).isTrue();
        assertThat(config.useLatestVersion()).isFalse();
        assertThat(config.specificAvroReader()).isFalse();
        assertThat(config.credentialsSource()).isEmpty();
        assertThat(config.urls()).extracting(Object::toString).containsExactly("http://a:8081", "http://b:8081");
    }

    @Test
    void shouldDocumentEverySerdeAndRegistryKey() {
        assertThat(AvroSerdeConfig.configDef().names())
                .contains(
                        "schema.registry.url",
                        "auto.register.schemas",
                        "use.latest.version",
                        "specific.avro.reader",
                        "basic.auth.credentials.source",
                        "basic.auth.user.info");
        for (ConfigDef definition :
                new ConfigDef[] {AvroSerdeConfig.configDef(), EmbeddedSchemaRegistryConfig.configDef()}) {
            definition
                    .configKeys()
                    .values()
                    .forEach(key -> assertThat(key.documentation).as(key.name).isNotBlank());
        }
    }

    @Test
    void shouldRejectUnknownCredentialsSource() {
        assertThatThrownBy(() -> new AvroSerdeConfig(Map.of(
                        "schema.registry.url", "http://a:8081", "basic.auth.credentials.source", "SASL_INHERIT")))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("basic.auth.credentials.source");
    }

    @Test
    void shouldHideUserInfoWhenPrinted() {
        AvroSerdeConfig config = new AvroSerdeConfig(Map.of(
                "schema.registry.url",
                "http://a:8081",
                "basic.auth.credentials.source",
                "USER_INFO",
                "basic.auth.user.info",
                "ccd:s3cret"));

        assertThat(config.userInfo()).isEqualTo("ccd:s3cret");
        assertThat(config.values().toString()).doesNotContain("s3cret");
    }

    @Test
    void shouldDefaultRegistryToLoopbackEphemeralPortInMemoryAndBackward() {
        EmbeddedSchemaRegistryConfig config = new EmbeddedSchemaRegistryConfig(Map.of());

        assertThat(config.listener().getHost()).isEqualTo("127.0.0.1");
        assertThat(config.listener().getPort()).isZero();
        assertThat(config.bootstrapServers()).isEmpty();
        assertThat(config.topic()).isEqualTo("_schemas");
        assertThat(config.defaultCompatibilityLevel()).isEqualTo(CompatibilityLevel.BACKWARD);
    }

    @Test
    void shouldRejectListenerWithoutPortAndUnknownLevel() {
        assertThatThrownBy(() -> new EmbeddedSchemaRegistryConfig(Map.of("listeners", "http://127.0.0.1")))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("listeners");
        assertThatThrownBy(() -> new EmbeddedSchemaRegistryConfig(Map.of("schema.compatibility.level", "sideways")))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("schema.compatibility.level");
    }

    @Test
    void shouldParseLevelNamesIgnoringCase() {
        assertThat(CompatibilityLevel.parse("full_transitive")).contains(CompatibilityLevel.FULL_TRANSITIVE);
        assertThat(CompatibilityLevel.parse(" Backward ")).contains(CompatibilityLevel.BACKWARD);
        assertThat(CompatibilityLevel.parse("sideways")).isEmpty();
        assertThat(CompatibilityLevel.parse(null)).isEmpty();
    }
}
