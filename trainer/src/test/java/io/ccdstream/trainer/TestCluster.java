package io.ccdstream.trainer;

import io.ccdstream.embedded.EmbeddedKafkaBroker;
import io.ccdstream.embedded.EmbeddedKafkaConfig;
import io.ccdstream.embedded.TopicAdmin;
import io.ccdstream.registry.EmbeddedSchemaRegistry;
import io.ccdstream.registry.EmbeddedSchemaRegistryConfig;
import io.ccdstream.streams.CcdTopics;
import io.ccdstream.streams.RegistrySerdes;
import io.ccdstream.streams.Topic;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;

/** In-process broker and registry with the pipeline's topics, and small helpers to write and read them. */
final class TestCluster implements AutoCloseable {

    final EmbeddedKafkaBroker broker;
    final EmbeddedSchemaRegistry registry;
    final RegistrySerdes serdes;

    TestCluster(Path dataDir, int partitions) {
        this.broker = EmbeddedKafkaBroker.start(EmbeddedKafkaConfig.builder().setDataDir(dataDir.resolve("kafka")).build());
        TopicAdmin.ensureTopics(broker.bootstrapServers(), CcdTopics.specs(partitions, (short) 1, CcdTopics.DEAD_LETTERS));
        this.registry = EmbeddedSchemaRegistry.start(new EmbeddedSchemaRegistryConfig(Map.of(
            EmbeddedSchemaRegistryConfig.KAFKASTORE_BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers())));
        this.serdes = new RegistrySerdes(Map.of("schema.registry.url", registry.url()));
    }

    /** Trainer settings for this cluster, with {@code overrides} on top. */
    Map<String, Object> trainerSettings(Path dataDir, Map<String, ?> overrides) {
        Map<String, Object> settings = new HashMap<>();
        settings.put(TrainerConfig.BOOTSTRAP_SERVERS, broker.bootstrapServers());
        settings.put(TrainerConfig.SCHEMA_REGISTRY_URL, registry.url());
        settings.put(TrainerConfig.DATA_DIR, dataDir.toString());
        settings.put(TrainerConfig.HTTP_PORT, 0);
        settings.put(TrainerConfig.POLL_TIMEOUT_MS, 200L);
        settings.put(TrainerConfig.COMMIT_INTERVAL_MS, 200L);
        settings.putAll(overrides);
        return settings;
    }

    /** Sends {@code records} to {@code topic} and waits until all are acknowledged. */
    <K extends SpecificRecord, V extends SpecificRecord> void send(Topic<K, V> topic, Map<K, V> records) {
        Map<String, Object> props = new HashMap<>();
        props.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers());
        props.put(ProducerConfig.ACKS_CONFIG, "all");
        props.put(ProducerConfig.MAX_REQUEST_SIZE_CONFIG, 4 * 1024 * 1024);
        try (KafkaProducer<K, V> producer = new KafkaProducer<>(props, topic.keySerde(serdes).serializer(),
            topic.valueSerde(serdes).serializer())) {
            records.forEach((key, value) -> producer.send(new ProducerRecord<>(topic.name(), key, value)));
            producer.flush();
        }
    }

    /**
     * Records of {@code topic} from the beginning (read_committed), read until {@code done} holds for
     * what was read or {@code timeout} passes.
     */
    <K extends SpecificRecord, V extends SpecificRecord> List<ConsumerRecord<K, V>> read(Topic<K, V> topic,
        Predicate<List<ConsumerRecord<K, V>>> done, Duration timeout) {
        Map<String, Object> props = new HashMap<>();
        props.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers());
        props.put(ConsumerConfig.GROUP_ID_CONFIG, "test-" + System.nanoTime());
        props.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        props.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        props.put(ConsumerConfig.MAX_PARTITION_FETCH_BYTES_CONFIG, 4 * 1024 * 1024);
        List<ConsumerRecord<K, V>> records = new ArrayList<>();
        try (KafkaConsumer<K, V> consumer = new KafkaConsumer<>(props, topic.keySerde(serdes).deserializer(),
            topic.valueSerde(serdes).deserializer())) {
            consumer.subscribe(List.of(topic.name()));
            long deadline = System.nanoTime() + timeout.toNanos();
            while (!done.test(records) && System.nanoTime() < deadline) {
                consumer.poll(Duration.ofMillis(200)).forEach(records::add);
            }
        }
        return records;
    }

    @Override
    public void close() {
        registry.close();
        broker.close();
    }
}
