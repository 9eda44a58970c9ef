package io.ccdstream.registry;

import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.config.TopicConfig;
import org.apache.kafka.common.errors.TopicExistsException;
import org.apache.kafka.common.errors.UnknownTopicOrPartitionException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps the registry's state in a compacted, single-partition Kafka topic (default
 * {@code _schemas}), as Confluent Schema Registry does.
 *
 * <p>{@link #load()} creates the topic when missing and reads it from the beginning to the end
 * offset taken at start. {@link #append(StoreRecord)} sends through an idempotent producer with
 * {@code acks=all} and waits for the acknowledgement. The topic is not tailed after start-up: a
 * single registry instance must be the only writer, or instances would miss each other's
 * registrations and could hand out the same id twice.
 */
public final class KafkaSchemaStore implements SchemaStore {

    private static final Logger LOG = LoggerFactory.getLogger(KafkaSchemaStore.class);

    private final EmbeddedSchemaRegistryConfig config;
    private final TopicPartition partition;
    private final KafkaProducer<byte[], byte[]> producer;

    /**
     * @param config the bootstrap servers, topic and timeouts ({@code kafkastore.*})
     */
    public KafkaSchemaStore(EmbeddedSchemaRegistryConfig config) {
        if (config.bootstrapServers().isEmpty()) {
            throw new IllegalArgumentException(EmbeddedSchemaRegistryConfig.KAFKASTORE_BOOTSTRAP_SERVERS_CONFIG
                    + " must be set for a Kafka-backed schema store");
        }
        this.config = config;
        this.partition = new TopicPartition(config.topic(), 0);
        this.producer = new KafkaProducer<>(producerProps(), new ByteArraySerializer(), new ByteArraySerializer());
    }

    @Override
    public List<StoreRecord> load() {
        Instant deadline = Instant.now().plus(config.initTimeout());
        try {
            ensureTopic(deadline);
            return readToEnd(deadline);
        } catch (ExecutionException | TimeoutException | RuntimeException e) {
            throw storeError(
                    "Cannot read schema store topic " + config.topic() + " at " + config.bootstrapServers(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw storeError("Interrupted reading schema store topic " + config.topic(), e);
        }
    }

    @Override
    public void append(StoreRecord record) {
        ProducerRecord<byte[], byte[]> message =
                new ProducerRecord<>(config.topic(), 0, StoreRecordCodec.key(record), StoreRecordCodec.value(record));
        try {
            producer.send(message).get(config.writeTimeout().toMillis(), TimeUnit.MILLISECONDS);
        } catch (ExecutionException | TimeoutException | RuntimeException e) {
            throw storeError("Error in the backend data store: write to " + config.topic() + " failed", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw storeError("Interrupted writing to " + config.topic(), e);
        }
    }

    @Override
    public void close() {
        producer.close(config.writeTimeout());
    }

    private void ensureTopic(Instant deadline) throws ExecutionException, InterruptedException, TimeoutException {
        try (Admin admin =
                Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, config.bootstrapServers()))) {
            Optional<TopicDescription> existing = describe(admin, deadline);
            if (existing.isPresent()) {
                checkLayout(existing.get());
                return;
            }
            create(admin, deadline);
        }
    }

    private Optional<TopicDescription> describe(Admin admin, Instant deadline)
            throws ExecutionException, InterruptedException, TimeoutException {
        try {
            return Optional.of(admin.describeTopics(Set.of(config.topic()))
                    .allTopicNames()
                    .get(remaining(deadline), TimeUnit.MILLISECONDS)
                    .get(config.topic()));
        } catch (ExecutionException e) {
            if (e.getCause() instanceof UnknownTopicOrPartitionException) {
                return Optional.empty();
            }
            throw e;
        }
    }

    private void checkLayout(TopicDescription topic) {
        if (topic.partitions().size() != 1) {
            throw new IllegalStateException("Schema store topic " + config.topic() + " has "
                    + topic.partitions().size() + " partitions; it must have exactly 1 so that records stay ordered");
        }
    }

    private void create(Admin admin, Instant deadline)
            throws ExecutionException, InterruptedException, TimeoutException {
        int brokers = admin.describeCluster()
                .nodes()
                .get(remaining(deadline), TimeUnit.MILLISECONDS)
                .size();
        short replication = (short) Math.max(1, Math.min(config.replicationFactor(), brokers));
        NewTopic topic = new NewTopic(config.topic(), 1, replication)
                .configs(Map.of(TopicConfig.CLEANUP_POLICY_CONFIG, TopicConfig.CLEANUP_POLICY_COMPACT));
        try {
            admin.createTopics(List.of(topic)).all().get(remaining(deadline), TimeUnit.MILLISECONDS);
            LOG.info(
                    "Created schema store topic {} (compacted, 1 partition, replication {})",
                    config.topic(),
                    replication);
        } catch (ExecutionException e) {
            if (!(e.getCause() instanceof TopicExistsException)) {
                throw e;
            }
        }
    }

    private List<StoreRecord> readToEnd(Instant deadline) {
        List<StoreRecord> records = new ArrayList<>();
        try (KafkaConsumer<byte[], byte[]> consumer =
                new KafkaConsumer<>(consumerProps(), new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
            consumer.assign(List.of(partition));
            consumer.seekToBeginning(List.of(partition));
            long end = consumer.endOffsets(List.of(partition), Duration.ofMillis(remaining(deadline)))
                    .get(partition);
            while (consumer.position(partition, Duration.ofMillis(remaining(deadline))) < end) {
                consumer.poll(Duration.ofMillis(Math.min(500, remaining(deadline))))
                        .forEach(message -> decode(message).ifPresent(records::add));
            }
        }
        LOG.info("Read {} records from schema store topic {}", records.size(), config.topic());
        return records;
    }

    private Optional<StoreRecord> decode(ConsumerRecord<byte[], byte[]> message) {
        try {
            return StoreRecordCodec.decode(message.key(), message.value());
        } catch (IOException | RuntimeException e) {
            LOG.warn(
                    "Skipping unreadable record at offset {} of {}: {}",
                    message.offset(),
                    config.topic(),
                    e.toString());
            return Optional.empty();
        }
    }

    private Map<String, Object> producerProps() {
        int timeoutMs = (int) Math.max(config.writeTimeout().toMillis(), 1_000);
        return Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG,
                config.bootstrapServers(),
                ProducerConfig.ACKS_CONFIG,
                "all",
                ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG,
                true,
                ProducerConfig.LINGER_MS_CONFIG,
                0,
                ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG,
                timeoutMs,
                ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG,
                timeoutMs,
                ProducerConfig.CLIENT_ID_CONFIG,
                "schema-registry-store-producer");
    }

    private Map<String, Object> consumerProps() {
        return Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG,
                config.bootstrapServers(),
                ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG,
                false,
                ConsumerConfig.AUTO_OFFSET_RESET_CONFIG,
                "earliest",
                ConsumerConfig.CLIENT_ID_CONFIG,
                "schema-registry-store-reader");
    }

    private static long remaining(Instant deadline) {
        long millis = Duration.between(Instant.now(), deadline).toMillis();
        if (millis <= 0) {
            throw new org.apache.kafka.common.errors.TimeoutException("schema store start-up timed out");
        }
        return millis;
    }

    private static SchemaRegistryException storeError(String message, Exception cause) {
        Throwable root = cause instanceof ExecutionException && cause.getCause() != null ? cause.getCause() : cause;
        return new SchemaRegistryException(500, SchemaRegistryException.STORE_ERROR, message + ": " + root, root);
    }
}
