package io.ccdstream.embedded;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.ccdstream.topics.TopicSpec;
import java.io.IOException;
import java.net.BindException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Stops and starts brokers on one data directory. */
class EmbeddedKafkaRestartIT {

    private static final int RECORDS = 50;

    @TempDir
    Path dataDir;

    @Test
    void shouldKeepTopicAndRecordsAcrossCleanRestart() {
        // Given
        EmbeddedKafkaConfig config =
                EmbeddedKafkaConfig.builder().setDataDir(dataDir).build();
        List<String> written = TestClients.values("record", RECORDS);
        String clusterId;
        try (EmbeddedKafkaBroker broker = EmbeddedKafkaBroker.start(config)) {
            clusterId = broker.clusterId();
            TopicAdmin.ensureTopics(
                    broker.bootstrapServers(),
                    List.of(new TopicSpec("durable", 1, (short) 1, Map.of("cleanup.policy", "compact"))));
            TestClients.produce(broker.bootstrapServers(), "durable", written);
        }
        // When
        try (EmbeddedKafkaBroker restarted = EmbeddedKafkaBroker.start(config)) {
            // Then
            assertThat(restarted.clusterId()).isEqualTo(clusterId);
            EnsureTopicsResult again = TopicAdmin.ensureTopics(
                    restarted.bootstrapServers(),
                    List.of(new TopicSpec("durable", 1, (short) 1, Map.of("cleanup.policy", "compact"))));
            assertThat(again.unchanged()).containsExactly("durable");
            assertThat(TestClients.consumeAll(restarted.bootstrapServers(), "durable", RECORDS, "read_uncommitted"))
                    .containsExactlyElementsOf(written);
        }
    }

    @Test
    void shouldFailWithPortInMessageAndReleaseDirectoryWhenPortIsTaken() throws IOException {
        try (ServerSocket taken = new ServerSocket()) {
            // Given
            taken.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
            EmbeddedKafkaConfig clashing = EmbeddedKafkaConfig.builder()
                    .setDataDir(dataDir)
                    .optPort(taken.getLocalPort())
                    .build();
            // When / Then
            assertThatThrownBy(() -> EmbeddedKafkaBroker.start(clashing))
                    .isInstanceOf(EmbeddedKafkaException.class)
                    .hasMessageContaining(":" + taken.getLocalPort())
                    .hasMessageContaining(dataDir.toString())
                    .hasRootCauseInstanceOf(BindException.class);
        }
        // And the failed start left nothing locked behind
        try (EmbeddedKafkaBroker broker = EmbeddedKafkaBroker.start(
                EmbeddedKafkaConfig.builder().setDataDir(dataDir).build())) {
            assertThat(TopicAdmin.ensureTopics(
                                    broker.bootstrapServers(),
                                    List.of(new TopicSpec("after-failure", 1, (short) 1, Map.of())))
                            .created())
                    .containsExactly("after-failure");
        }
    }

    @Test
    void shouldRefuseSecondBrokerOnDirectoryInUseAndKeepFirstRunning() {
        try (EmbeddedKafkaBroker first = EmbeddedKafkaBroker.start(
                EmbeddedKafkaConfig.builder().setDataDir(dataDir).build())) {
            // When / Then
            assertThatThrownBy(() -> EmbeddedKafkaBroker.start(EmbeddedKafkaConfig.builder()
                                    .setDataDir(dataDir)
                                    .build())
                            .close())
                    .isInstanceOf(EmbeddedKafkaException.class)
                    .hasMessageContaining(dataDir.toString())
                    .hasMessageContaining("in use");
            // And the first broker still serves clients
            TopicAdmin.ensureTopics(
                    first.bootstrapServers(), List.of(new TopicSpec("still-up", 1, (short) 1, Map.of())));
            TestClients.produce(first.bootstrapServers(), "still-up", List.of("ok"));
            assertThat(TestClients.consumeAll(first.bootstrapServers(), "still-up", 1, "read_uncommitted"))
                    .containsExactly("ok");
        }
    }

    @Test
    void shouldReleasePortOnCloseAndIgnoreSecondClose() throws IOException {
        // Given
        EmbeddedKafkaBroker broker = EmbeddedKafkaBroker.start(
                EmbeddedKafkaConfig.builder().setDataDir(dataDir).build());
        int port = Integer.parseInt(
                broker.bootstrapServers().substring(broker.bootstrapServers().lastIndexOf(':') + 1));
        broker.close();
        // When / Then
        assertThatCode(broker::close).doesNotThrowAnyException();
        try (ServerSocket socket = new ServerSocket()) {
            socket.setReuseAddress(true);
            socket.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), port));
            assertThat(socket.getLocalPort()).isEqualTo(port);
        }
    }
}
