package io.ccdstream.embedded;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;

import io.ccdstream.topics.TopicSpec;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** One broker shared by the tests that do not restart it. */
class EmbeddedKafkaBrokerIT {

    @TempDir
    static Path dataDir;

    private static EmbeddedKafkaBroker broker;

    @BeforeAll
    static void startBroker() {
        broker = EmbeddedKafkaBroker.start(
                EmbeddedKafkaConfig.builder().setDataDir(dataDir).build());
    }

    @AfterAll
    static void stopBroker() {
        broker.close();
    }

    @Test
    void shouldAdvertiseLoopbackAddressAndFormatTheDataDirectory() {
        assertThat(broker.bootstrapServers()).matches("127\\.0\\.0\\.1:\\d+");
        assertThat(broker.dataDir()).isEqualTo(dataDir.toAbsolutePath().normalize());
        assertThat(dataDir.resolve("meta.properties")).exists();
        assertThat(StorageFormatter.readClusterId(dataDir)).contains(broker.clusterId());
    }

    @Test
    void shouldDeliverProducedRecordToConsumer() {
        // Given
        TopicAdmin.ensureTopics(broker.bootstrapServers(), List.of(new TopicSpec("greetings", 1, (short) 1, Map.of())));
        // When
        TestClients.produce(broker.bootstrapServers(), "greetings", List.of("hello"));
        // Then
        assertThat(TestClients.consumeAll(broker.bootstrapServers(), "greetings", 1, "read_uncommitted"))
                .containsExactly("hello");
    }

    @Test
    void shouldShowCommittedButNotAbortedTransactionsToReadCommittedConsumer() {
        // Given
        TopicAdmin.ensureTopics(broker.bootstrapServers(), List.of(new TopicSpec("tx", 1, (short) 1, Map.of())));
        Map<String, Object> config = new HashMap<>(TestClients.producerConfig(broker.bootstrapServers()));
        config.put(ProducerConfig.TRANSACTIONAL_ID_CONFIG, "embedded-test-tx");
        // When
        try (KafkaProducer<String, String> producer = new KafkaProducer<>(config)) {
            producer.initTransactions();
            producer.beginTransaction();
            producer.send(new ProducerRecord<>("tx", "k", "aborted"));
            producer.abortTransaction();
            producer.beginTransaction();
            producer.send(new ProducerRecord<>("tx", "k", "committed-1"));
            producer.send(new ProducerRecord<>("tx", "k", "committed-2"));
            producer.commitTransaction();
        }
        // Then
        assertThat(TestClients.consumeAll(broker.bootstrapServers(), "tx", 2, "read_committed"))
                .containsExactly("committed-1", "committed-2");
    }

    @Test
    void shouldAcceptTwoMebibyteRecordByDefault() {
        // Given: the images topic allows 2 MiB records; the broker default must not be the tighter limit
        TopicAdmin.ensureTopics(broker.bootstrapServers(), List.of(new TopicSpec("big", 1, (short) 1, Map.of())));
        Map<String, Object> config = new HashMap<>(TestClients.producerConfig(broker.bootstrapServers()));
        config.put(ProducerConfig.MAX_REQUEST_SIZE_CONFIG, 3 * 1024 * 1024);
        String payload = "x".repeat(2 * 1024 * 1024);
        // When / Then
        try (KafkaProducer<String, String> producer = new KafkaProducer<>(config)) {
            assertThatCode(() -> producer.send(new ProducerRecord<>("big", payload))
                            .get(TestClients.TIMEOUT.toSeconds(), TimeUnit.SECONDS))
                    .doesNotThrowAnyException();
        }
    }

    @Test
    void shouldReportReadyWhenAskedAgain() {
        assertThatCode(() -> broker.awaitReady(Duration.ofSeconds(10))).doesNotThrowAnyException();
    }
}
