package io.ccdstream.trainer;

import io.ccdstream.schemas.Checkpoint;
import io.ccdstream.schemas.ClassSetKey;
import io.ccdstream.topics.CcdTopics;
import io.ccdstream.topics.SerdeFactory;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Supplier;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.InvalidProducerEpochException;
import org.apache.kafka.common.errors.ProducerFencedException;

/**
 * Announces checkpoints on the compacted checkpoints topic and reads back the latest announcement.
 *
 * <p>The producer is transactional with a fixed transactional id per class set: starting it fences
 * any older trainer of the same class set that is still alive (a zombie's later publication fails)
 * and aborts what a killed one left open, so two processes never publish competing versions.
 */
final class CheckpointPublisher implements AutoCloseable {

    private final Producer<ClassSetKey, Checkpoint> producer;
    private final Supplier<Consumer<ClassSetKey, Checkpoint>> consumers;
    private final Duration timeout;
    private final String transactionalId;

    CheckpointPublisher(TrainerConfig config, SerdeFactory serdes) {
        this(
                producer(config, serdes),
                () -> consumer(config, serdes),
                config.transactionalId(),
                config.startupTimeout());
    }

    /**
     * A publisher on {@code producer} (transactional, not yet initialised) that reads the topic
     * back with consumers from {@code consumers}.
     */
    CheckpointPublisher(
            Producer<ClassSetKey, Checkpoint> producer,
            Supplier<Consumer<ClassSetKey, Checkpoint>> consumers,
            String transactionalId,
            Duration timeout) {
        this.producer = producer;
        this.consumers = consumers;
        this.transactionalId = transactionalId;
        this.timeout = timeout;
        try {
            producer.initTransactions();
        } catch (RuntimeException e) {
            producer.close(Duration.ZERO);
            throw e;
        }
    }

    private static Producer<ClassSetKey, Checkpoint> producer(TrainerConfig config, SerdeFactory serdes) {
        Map<String, Object> props = new HashMap<>(config.clientSettings());
        props.put(ProducerConfig.TRANSACTIONAL_ID_CONFIG, config.transactionalId());
        props.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
        props.put(ProducerConfig.ACKS_CONFIG, "all");
        props.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, config.startupTimeout().toMillis());
        return new KafkaProducer<>(
                props,
                CcdTopics.CHECKPOINTS.keySerde(serdes).serializer(),
                CcdTopics.CHECKPOINTS.valueSerde(serdes).serializer());
    }

    private static Consumer<ClassSetKey, Checkpoint> consumer(TrainerConfig config, SerdeFactory serdes) {
        Map<String, Object> props = new HashMap<>(config.clientSettings());
        props.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        props.put(ConsumerConfig.CLIENT_ID_CONFIG, "ccd-trainer-reconcile-" + UUID.randomUUID());
        return new KafkaConsumer<>(
                props,
                CcdTopics.CHECKPOINTS.keySerde(serdes).deserializer(),
                CcdTopics.CHECKPOINTS.valueSerde(serdes).deserializer());
    }

    /**
     * The announcement of the highest version for {@code classSetId} on the topic now (committed
     * records only), if any.
     */
    Optional<Checkpoint> latest(String classSetId) {
        try (Consumer<ClassSetKey, Checkpoint> consumer = consumers.get()) {
            List<TopicPartition> partitions = consumer.partitionsFor(CcdTopics.CHECKPOINTS.name(), timeout).stream()
                    .map(p -> new TopicPartition(p.topic(), p.partition()))
                    .toList();
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            Map<TopicPartition, Long> end = consumer.endOffsets(partitions, timeout);
            return readToEnd(consumer, end, classSetId);
        }
    }

    private Optional<Checkpoint> readToEnd(
            Consumer<ClassSetKey, Checkpoint> consumer, Map<TopicPartition, Long> end, String classSetId) {
        Checkpoint latest = null;
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!reached(consumer, end)) {
            if (System.nanoTime() > deadline) {
                throw new KafkaException(
                        "could not read " + CcdTopics.CHECKPOINTS.name() + " to its end within " + timeout);
            }
            for (ConsumerRecord<ClassSetKey, Checkpoint> record : consumer.poll(Duration.ofMillis(200))) {
                Checkpoint value = record.value();
                if (value != null
                        && value.getClassSetId().equals(classSetId)
                        && (latest == null || value.getVersion() > latest.getVersion())) {
                    latest = value;
                }
            }
        }
        return Optional.ofNullable(latest);
    }

    private static boolean reached(Consumer<?, ?> consumer, Map<TopicPartition, Long> end) {
        return end.entrySet().stream().allMatch(e -> consumer.position(e.getKey()) >= e.getValue());
    }

    /**
     * Publishes {@code event} in its own transaction and waits for the commit.
     *
     * @throws ProducerFencedException if another trainer of the class set took over; this one cannot
     *     publish again
     * @throws KafkaException if the publication failed otherwise
     */
    void publish(Checkpoint event) {
        producer.beginTransaction();
        try {
            producer.send(new ProducerRecord<>(
                            CcdTopics.CHECKPOINTS.name(), new ClassSetKey(event.getClassSetId()), event))
                    .get(timeout.toMillis(), TimeUnit.MILLISECONDS);
            producer.commitTransaction();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            abortQuietly();
            throw new KafkaException("interrupted while publishing checkpoint v" + event.getVersion(), e);
        } catch (ExecutionException | TimeoutException | KafkaException e) {
            abortQuietly();
            if (fenced(e)) {
                throw new ProducerFencedException("another trainer with transactional id " + transactionalId
                        + " took over; checkpoint v" + event.getVersion() + " was not published by this one");
            }
            throw e instanceof KafkaException kafka
                    ? kafka
                    : new KafkaException(
                            "could not publish checkpoint v" + event.getVersion() + ": " + e.getMessage(), e);
        }
    }

    /** Whether {@code e} says that a newer producer with the same transactional id fenced this one. */
    private static boolean fenced(Throwable e) {
        for (Throwable cause = e; cause != null; cause = cause.getCause()) {
            if (cause instanceof ProducerFencedException || cause instanceof InvalidProducerEpochException) {
                return true;
            }
        }
        return false;
    }

    private void abortQuietly() {
        try {
            producer.abortTransaction();
        } catch (KafkaException e) {
            // fenced or failed producers cannot abort; the coordinator aborts the transaction
        }
    }

    @Override
    public void close() {
        producer.close(Duration.ofSeconds(5));
    }
}
