package io.ccdstream.embedded;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import kafka.server.KafkaConfig;
import org.junit.jupiter.api.Test;

class EmbeddedKafkaConfigTest {

    private static final Path DIR = Path.of("target", "unused");

    @Test
    void shouldDefaultToLoopbackAndFreePorts() {
        EmbeddedKafkaConfig config =
                EmbeddedKafkaConfig.builder().setDataDir(DIR).build();

        assertThat(config.host()).isEqualTo("127.0.0.1");
        assertThat(config.port()).isZero();
        assertThat(config.controllerPort()).isZero();
        assertThat(config.brokerProperties()).isEmpty();
        assertThat(config.dataDir()).isAbsolute();
    }

    @Test
    void shouldRequireDataDir() {
        assertThatThrownBy(() -> EmbeddedKafkaConfig.builder().build())
                .isInstanceOf(NullPointerException.class)
                .hasMessageContaining("dataDir");
    }

    @Test
    void shouldRejectWildcardHostBecauseItCannotBeAdvertised() {
        assertThatThrownBy(() -> EmbeddedKafkaConfig.builder()
                        .setDataDir(DIR)
                        .optHost("0.0.0.0")
                        .build())
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("0.0.0.0");
    }

    @Test
    void shouldRejectPortOutOfRange() {
        assertThatThrownBy(() -> EmbeddedKafkaConfig.builder()
                        .setDataDir(DIR)
                        .optPort(70_000)
                        .build())
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("port");
    }

    @Test
    void shouldRejectSamePortForClientsAndController() {
        assertThatThrownBy(() -> EmbeddedKafkaConfig.builder()
                        .setDataDir(DIR)
                        .optPort(9092)
                        .optControllerPort(9092)
                        .build())
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("9092");
    }

    @Test
    void shouldRejectNonPositiveStartupTimeout() {
        assertThatThrownBy(() -> EmbeddedKafkaConfig.builder()
                        .setDataDir(DIR)
                        .optStartupTimeout(Duration.ZERO)
                        .build())
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("startupTimeout");
    }

    @Test
    void shouldRejectOverrideOfManagedListenerConfig() {
        assertThatThrownBy(() -> EmbeddedKafkaConfig.builder()
                        .setDataDir(DIR)
                        .optBrokerProperty("listeners", "PLAINTEXT://0.0.0.0:9092")
                        .build())
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("'listeners'");
    }

    @Test
    void shouldLetBrokerPropertiesOverrideDefaults() {
        EmbeddedKafkaConfig config = EmbeddedKafkaConfig.builder()
                .setDataDir(DIR)
                .optBrokerProperty("message.max.bytes", "123456")
                .optBrokerProperties(Map.of("log.retention.hours", "1"))
                .build();

        Map<String, String> props = BrokerProperties.of(config, 1111, 2222);

        assertThat(props)
                .containsEntry("message.max.bytes", "123456")
                .containsEntry("log.retention.hours", "1")
                .containsEntry("listeners", "PLAINTEXT://127.0.0.1:1111,CONTROLLER://127.0.0.1:2222")
                .containsEntry("controller.quorum.voters", "1@127.0.0.1:2222")
                .containsEntry("log.dirs", config.dataDir().toString());
    }

    @Test
    void shouldUseOnlyConfigNamesTheBrokerKnows() {
        Map<String, String> props = BrokerProperties.of(
                EmbeddedKafkaConfig.builder().setDataDir(DIR).build(), 1111, 2222);

        // A misspelt key would be ignored by Kafka with a mere warning.
        assertThat(props.keySet())
                .allSatisfy(key -> assertThat(KafkaConfig.configType(key).isDefined())
                        .as("known broker config %s", key)
                        .isTrue());
        assertThat(EmbeddedKafkaConfig.RESERVED_KEYS)
                .allSatisfy(key -> assertThat(KafkaConfig.configType(key).isDefined())
                        .as("known broker config %s", key)
                        .isTrue());
    }

    @Test
    void shouldAllowTwoMebibyteImagesAndSmallCleanerBuffer() {
        Map<String, String> props = BrokerProperties.of(
                EmbeddedKafkaConfig.builder().setDataDir(DIR).build(), 1111, 2222);

        assertThat(Integer.parseInt(props.get("message.max.bytes"))).isGreaterThan(2 * 1024 * 1024);
        assertThat(Integer.parseInt(props.get("log.cleaner.dedupe.buffer.size")))
                .isLessThanOrEqualTo(2 * 1024 * 1024);
    }
}
