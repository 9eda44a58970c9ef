package io.ccdstream.streams.integration;

import io.ccdstream.embedded.EmbeddedKafkaBroker;
import io.ccdstream.embedded.EmbeddedKafkaConfig;
import io.ccdstream.embedded.TopicAdmin;
import io.ccdstream.registry.EmbeddedSchemaRegistry;
import io.ccdstream.registry.EmbeddedSchemaRegistryConfig;
import io.ccdstream.streams.CcdStreamsConfig;
import io.ccdstream.streams.CcdTopics;
import io.ccdstream.streams.RegistrySerdes;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.Serializer;

/** In-process broker and Kafka-backed registry with the pipeline's topics, for integration tests. */
final class EmbeddedCluster implements AutoCloseable {

    final EmbeddedKafkaBroker broker;
    final EmbeddedSchemaRegistry registry;
    final RegistrySerdes serdes;
    private final Path dataDir;

    EmbeddedCluster(Path dataDir, int partitions) {
        this.dataDir = dataDir;
        this.broker = EmbeddedKafkaBroker.start(EmbeddedKafkaConfig.builder().setDataDir(dataDir.resolve("kafka")).build());
        TopicAdmin.ensureTopics(broker.bootstrapServers(), CcdTopics.specs(partitions, (short) 1, CcdTopics.DEAD_LETTERS));
        this.registry = EmbeddedSchemaRegistry.start(new EmbeddedSchemaRegistryConfig(Map.of(
            EmbeddedSchemaRegistryConfig.KAFKASTORE_BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers())));
        this.serdes = RegistrySerdes.of(config("unused"));
    }

    /** Streams settings; {@code stateSubDir} keeps instances apart. */
    CcdStreamsConfig config(String stateSubDir) {
        Map<String, Object> settings = new HashMap<>();
        settings.put(CcdStreamsConfig.BOOTSTRAP_SERVERS, broker.bootstrapServers());
        settings.put(CcdStreamsConfig.SCHEMA_REGISTRY_URL, registry.url());
        settings.put(CcdStreamsConfig.STATE_DIR, dataDir.resolve("streams").resolve(stateSubDir).toString());
        return new CcdStreamsConfig(settings);
    }

    <K, V> KafkaProducer<K, V> producer(Serializer<K> keys, Serializer<V> values) {
        Map<String, Object> props = new HashMap<>();
        props.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers());
        props.put(ProducerConfig.ACKS_CONFIG, "all");
        props.put(ProducerConfig.MAX_REQUEST_SIZE_CONFIG, 4 * 1024 * 1024);
        return new KafkaProducer<>(props, keys, values);
    }

    /**
     * Reads {@code topic} from the beginning (read_committed) until {@code done} says so or the
     * timeout passes; every record goes to {@code sink}.
     */
    <K, V> void readUntil(String topic, Deserializer<K> keys, Deserializer<V> values,
        Consumer<ConsumerRecord<K, V>> sink, java.util.function.BooleanSupplier done, Duration timeout) {
        Map<String, Object> props = new HashMap<>();
        props.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers());
        props.put(ConsumerConfig.GROUP_ID_CONFIG, "it-" + System.nanoTime());
        props.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        props.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        props.put(ConsumerConfig.MAX_PARTITION_FETCH_BYTES_CONFIG, 4 * 1024 * 1024);
        try (KafkaConsumer<K, V> consumer = new KafkaConsumer<>(props, keys, values)) {
            consumer.subscribe(List.of(topic));
            long deadline = System.nanoTime() + timeout.toNanos();
            while (!done.getAsBoolean() && System.nanoTime() < deadline) {
                consumer.poll(Duration.ofMillis(200)).forEach(sink);
            }
        }
    }

    /** All records of {@code topic} now (read_committed), waiting at most {@code quiet} for more. */
    <K extends SpecificRecord, V extends SpecificRecord> List<ConsumerRecord<K, V>> readAll(
        io.ccdstream.streams.Topic<K, V> topic, int atLeast, Duration timeout) {
        List<ConsumerRecord<K, V>> records = new ArrayList<>();
        readUntil(topic.name(), topic.keySerde(serdes).deserializer(), topic.valueSerde(serdes).deserializer(),
            records::add, () -> records.size() >= atLeast, timeout);
        return records;
    }

    @Override
    public void close() {
        registry.close();
        broker.close();
    }
}
