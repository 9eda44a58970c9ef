package io.ccdstream.embedded;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;

class SecuredListenerTest {

    @Test
    void shouldConfigurePlainUsersAndScramOnItsOwnListenerOnly() {
        Map<String, String> props =
                SecuredListener.saslPlaintext("sasl", Map.of("alice", "pa\"ss")).brokerProperties();

        assertThat(props)
                .containsEntry("listener.name.sasl.sasl.enabled.mechanisms", "PLAIN,SCRAM-SHA-256,SCRAM-SHA-512")
                .containsEntry(
                        "listener.name.sasl.plain.sasl.jaas.config",
                        "org.apache.kafka.common.security.plain.PlainLoginModule required user_alice=\"pa\\\"ss\";")
                .containsKey("listener.name.sasl.scram-sha-256.sasl.jaas.config");
    }

    @Test
    void shouldAddTheListenerBesideThePlaintextOne() {
        EmbeddedKafkaConfig config = EmbeddedKafkaConfig.builder()
                .setDataDir(Path.of("target/unused"))
                .optSecuredListener(SecuredListener.ssl("tls", Map.of("ssl.keystore.location", "/ks.p12")))
                .build();

        Map<String, String> props = BrokerProperties.of(config, 9092, 9093, Map.of("TLS", 9094));

        assertThat(props.get("listeners"))
                .isEqualTo("PLAINTEXT://127.0.0.1:9092,CONTROLLER://127.0.0.1:9093,TLS://127.0.0.1:9094");
        assertThat(props.get("advertised.listeners")).isEqualTo("PLAINTEXT://127.0.0.1:9092,TLS://127.0.0.1:9094");
        assertThat(props.get("listener.security.protocol.map")).endsWith(",TLS:SSL");
        assertThat(props).containsEntry("listener.name.tls.ssl.keystore.location", "/ks.p12");
    }

    @Test
    void shouldRefuseIncompleteOrClashingListeners() {
        assertThatThrownBy(() -> SecuredListener.saslPlaintext("SASL", Map.of()))
                .hasMessageContaining("at least one user");
        assertThatThrownBy(() -> SecuredListener.ssl("TLS", Map.of())).hasMessageContaining("ssl.keystore.location");
        assertThatThrownBy(() -> SecuredListener.saslPlaintext("PLAINTEXT", Map.of("a", "b")))
                .hasMessageContaining("neither PLAINTEXT");
        assertThatThrownBy(() -> EmbeddedKafkaConfig.builder()
                        .setDataDir(Path.of("target/unused"))
                        .optSecuredListener(SecuredListener.saslPlaintext("SASL", Map.of("a", "b")))
                        .optSecuredListener(SecuredListener.saslPlaintext("sasl", Map.of("c", "d")))
                        .build())
                .hasMessageContaining("given twice");
        assertThat(SecuredListener.saslPlaintext("SASL", Map.of("alice", "secret"))
                        .toString())
                .doesNotContain("secret");
    }
}
