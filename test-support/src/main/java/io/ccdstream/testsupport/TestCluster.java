package io.ccdstream.testsupport;

import io.ccdstream.embedded.EmbeddedRuntime;
import io.ccdstream.embedded.SecuredListener;
import io.ccdstream.topics.RegistrySerdes;
import io.ccdstream.topics.Topic;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;
import java.util.function.Predicate;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.Serializer;

/**
 * The one test cluster of the tree: the embedded runtime (in-process KRaft broker, Kafka-backed
 * schema registry, the pipeline's topics) with helpers that write and read its topics. Every send
 * is confirmed ({@code send(...).get(...)}) and every read is bounded by a timeout.
 */
public final class TestCluster implements AutoCloseable {

    /** Longest wait for one acknowledgement. */
    public static final Duration SEND_TIMEOUT = Duration.ofSeconds(30);

    private final EmbeddedRuntime runtime;
    private final RegistrySerdes serdes;
    private final Path dataDir;

    private TestCluster(EmbeddedRuntime runtime, Path dataDir) {
        this.runtime = runtime;
        this.dataDir = dataDir;
        this.serdes = new RegistrySerdes(Map.of("schema.registry.url", runtime.registryUrl()));
    }

    /** Starts a cluster keeping its data under {@code dataDir}, with {@code partitions} per per-image topic. */
    public static TestCluster start(Path dataDir, int partitions) {
        return new TestCluster(EmbeddedRuntime.start(dataDir, 0, 0, partitions), dataDir);
    }

    /**
     * Starts a cluster whose broker also listens on {@code securedListeners} (SASL and/or TLS); the helpers of
     * this class keep using its PLAINTEXT listener.
     */
    public static TestCluster start(Path dataDir, int partitions, SecuredListener... securedListeners) {
        return new TestCluster(EmbeddedRuntime.start(dataDir, 0, 0, partitions, List.of(securedListeners)), dataDir);
    }

    /** The bootstrap servers of the secured listener {@code listenerName}. */
    public String bootstrapServers(String listenerName) {
        return runtime.bootstrapServers(listenerName);
    }

    /** The directory the cluster keeps its data in; clients of a test may keep theirs beside it. */
    public Path dataDir() {
        return dataDir;
    }

    /** The broker's bootstrap servers. */
    public String bootstrapServers() {
        return runtime.bootstrapServers();
    }

    /** The schema registry's URL. */
    public String registryUrl() {
        return runtime.registryUrl();
    }

    /** Serdes speaking to this cluster's registry. */
    public RegistrySerdes serdes() {
        return serdes;
    }

    /** Settings of a client of this cluster: {@code bootstrap.servers} and {@code schema.registry.url}. */
    public Map<String, Object> clientSettings() {
        Map<String, Object> settings = new HashMap<>();
        settings.put("bootstrap.servers", bootstrapServers());
        settings.put("schema.registry.url", registryUrl());
        return settings;
    }

    /** A producer of this cluster (acks all, large records allowed); the caller closes it. */
    public <K, V> KafkaProducer<K, V> producer(Serializer<K> keys, Serializer<V> values) {
        Map<String, Object> props = new HashMap<>();
        props.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers());
        props.put(ProducerConfig.ACKS_CONFIG, "all");
        props.put(ProducerConfig.MAX_REQUEST_SIZE_CONFIG, 4 * 1024 * 1024);
        props.put(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, (int) SEND_TIMEOUT.toMillis());
        props.put(ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, 10_000);
        props.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, (int) SEND_TIMEOUT.toMillis());
        return new KafkaProducer<>(props, keys, values);
    }

    /** Sends {@code records} to {@code topic} in order and fails unless every one is acknowledged. */
    public <K extends SpecificRecord, V extends SpecificRecord> void send(Topic<K, V> topic, Map<K, V> records) {
        List<ProducerRecord<K, V>> list = new ArrayList<>();
        records.forEach((key, value) -> list.add(new ProducerRecord<>(topic.name(), key, value)));
        send(list, topic.keySerde(serdes).serializer(), topic.valueSerde(serdes).serializer());
    }

    /** Sends {@code records} and fails unless every one is acknowledged. */
    public <K, V> void send(List<ProducerRecord<K, V>> records, Serializer<K> keys, Serializer<V> values) {
        try (KafkaProducer<K, V> producer = producer(keys, values)) {
            List<Future<RecordMetadata>> sent = new ArrayList<>();
            records.forEach(record -> sent.add(producer.send(record)));
            for (Future<RecordMetadata> ack : sent) {
                ack.get(SEND_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
            }
        } catch (ExecutionException | TimeoutException e) {
            throw new AssertionError("a test record was not acknowledged", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }

    /**
     * Records of {@code topic} from the beginning (read_committed), read until {@code done} holds for
     * what was read or {@code timeout} passes.
     */
    public <K extends SpecificRecord, V extends SpecificRecord> List<ConsumerRecord<K, V>> read(
            Topic<K, V> topic, Predicate<List<ConsumerRecord<K, V>>> done, Duration timeout) {
        List<ConsumerRecord<K, V>> records = new ArrayList<>();
        read(
                topic.name(),
                topic.keySerde(serdes).deserializer(),
                topic.valueSerde(serdes).deserializer(),
                records::add,
                () -> done.test(records),
                timeout);
        return records;
    }

    /** At least {@code atLeast} records of {@code topic} (read_committed), or what came within {@code timeout}. */
    public <K extends SpecificRecord, V extends SpecificRecord> List<ConsumerRecord<K, V>> read(
            Topic<K, V> topic, int atLeast, Duration timeout) {
        return read(topic, records -> records.size() >= atLeast, timeout);
    }

    /**
     * Reads {@code topic} from the beginning (read_committed) until {@code done} says so or the
     * timeout passes; every record goes to {@code sink}.
     */
    public <K, V> void read(
            String topic,
            Deserializer<K> keys,
            Deserializer<V> values,
            Consumer<ConsumerRecord<K, V>> sink,
            BooleanSupplier done,
            Duration timeout) {
        Map<String, Object> props = new HashMap<>();
        props.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers());
        props.put(ConsumerConfig.GROUP_ID_CONFIG, "test-" + System.nanoTime());
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

    @Override
    public void close() {
        runtime.close();
    }
}
