package io.ccdstream.streams.scorer;

import io.ccdstream.models.clip.ClassSet;
import io.ccdstream.schemas.Checkpoint;
import io.ccdstream.schemas.ClassSetKey;
import io.ccdstream.topics.CcdTopics;
import io.ccdstream.topics.ClusterAccess;
import io.ccdstream.topics.SerdeFactory;
import java.time.Duration;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Follows the compacted checkpoints topic on its own thread, off the stream threads, and hands
 * each announcement to a {@link CheckpointInstaller}.
 */
public final class CheckpointFollower implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(CheckpointFollower.class);

    private final KafkaConsumer<ClassSetKey, Checkpoint> consumer;
    private final CheckpointInstaller installer;
    private final Thread thread;
    private volatile boolean running = true;

    /**
     * Starts following.
     *
     * @param classSets the class sets served; checkpoints of others are ignored
     * @param overrides further consumer settings (the {@code kafka.*} pass-through: security...), applied last
     */
    public CheckpointFollower(
            String bootstrapServers,
            SerdeFactory serdes,
            CheckpointFetcher fetcher,
            CheckpointHolder holder,
            List<ClassSet> classSets,
            Map<String, ?> overrides) {
        this(bootstrapServers, serdes, fetcher, holder, classSets, overrides, false);
    }

    /**
     * Starts following; with {@code promotedOnly} (rollout mode shadow) only {@code PROMOTED}
     * checkpoints are served, and the latest of them wins, also when it is older (a rollback).
     */
    public CheckpointFollower(
            String bootstrapServers,
            SerdeFactory serdes,
            CheckpointFetcher fetcher,
            CheckpointHolder holder,
            List<ClassSet> classSets,
            Map<String, ?> overrides,
            boolean promotedOnly) {
        this.installer = new CheckpointInstaller(fetcher, holder, classSets, promotedOnly);
        this.consumer = fromBeginning(bootstrapServers, serdes, overrides);
        this.thread = new Thread(this::run, "ccd-checkpoint-follower");
        thread.setDaemon(true);
        thread.start();
    }

    /**
     * A read_committed consumer of every partition of {@code ccd.checkpoints}, from the beginning, in no
     * consumer group (whatever the pass-through {@code overrides} say).
     */
    public static KafkaConsumer<ClassSetKey, Checkpoint> fromBeginning(
            String bootstrapServers, SerdeFactory serdes, Map<String, ?> overrides) {
        Map<String, Object> props = new HashMap<>();
        props.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        props.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        props.putAll(overrides);
        props.remove(ConsumerConfig.GROUP_ID_CONFIG);
        KafkaConsumer<ClassSetKey, Checkpoint> consumer = new KafkaConsumer<>(
                props,
                CcdTopics.CHECKPOINTS.keySerde(serdes).deserializer(),
                CcdTopics.CHECKPOINTS.valueSerde(serdes).deserializer());
        List<TopicPartition> partitions;
        try {
            partitions = consumer.partitionsFor(CcdTopics.CHECKPOINTS.name(), Duration.ofSeconds(30)).stream()
                    .map(p -> new TopicPartition(p.topic(), p.partition()))
                    .toList();
        } catch (RuntimeException e) {
            consumer.close();
            throw ClusterAccess.translate(e, "follow the checkpoints topic");
        }
        consumer.assign(partitions);
        consumer.seekToBeginning(partitions);
        return consumer;
    }

    private void run() {
        try {
            while (running) {
                // of what one poll returns (the whole topic when starting), only the last record to
                // serve per class set is loaded: a replayed history is not installed step by step
                Map<String, Checkpoint> latest = new LinkedHashMap<>();
                for (ConsumerRecord<ClassSetKey, Checkpoint> record : consumer.poll(Duration.ofMillis(200))) {
                    if (record.value() != null && installer.serves(record.value())) {
                        latest.remove(record.value().getClassSetId());
                        latest.put(record.value().getClassSetId(), record.value());
                    }
                }
                latest.values().forEach(installer::consider);
            }
        } catch (WakeupException e) {
            if (running) {
                throw e;
            }
        } catch (RuntimeException e) {
            LOG.error("Checkpoint follower stopped; the scorer keeps the checkpoints it has", e);
        } finally {
            consumer.close();
        }
    }

    /** Checkpoints refused so far. */
    public List<CheckpointInstaller.Refusal> refusals() {
        return installer.refusals();
    }

    @Override
    public void close() {
        running = false;
        consumer.wakeup();
        try {
            thread.join(10_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
