package io.ccdstream.topics.export;

import io.ccdstream.schemas.ImageKey;
import io.ccdstream.schemas.Label;
import io.ccdstream.schemas.Scores;
import io.ccdstream.topics.CcdTopics;
import io.ccdstream.topics.SerdeFactory;
import io.ccdstream.topics.Topic;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.BiConsumer;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;

/**
 * Reads one class set's latest label per image from the compacted {@code ccd.labels} topic, and its
 * latest scores (image size, CAM boxes) from {@code ccd.scores}, read_committed, without a consumer
 * group: each {@link #catchUp} reads both topics up to the end they had when it was called, then
 * returns; called again it reads only what came since.
 */
public final class LabelReader implements AutoCloseable {

    private final String classSetId;
    private final KafkaConsumer<ImageKey, Label> labels;
    private final KafkaConsumer<ImageKey, Scores> scores;
    private final Map<String, Label> latestLabels = new TreeMap<>();
    private final Map<String, Scores> latestScores = new HashMap<>();
    private int otherLabels;

    /**
     * @param overrides further consumer settings (security settings, ...), applied last
     */
    public LabelReader(String bootstrapServers, SerdeFactory serdes, Map<String, ?> overrides, String classSetId) {
        this.classSetId = classSetId;
        this.labels = consumer(bootstrapServers, serdes, overrides, CcdTopics.LABELS);
        this.scores = consumer(bootstrapServers, serdes, overrides, CcdTopics.SCORES);
    }

    private static <V extends org.apache.avro.specific.SpecificRecord> KafkaConsumer<ImageKey, V> consumer(
            String bootstrapServers, SerdeFactory serdes, Map<String, ?> overrides, Topic<ImageKey, V> topic) {
        Map<String, Object> props = new HashMap<>();
        props.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        props.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        props.put(ConsumerConfig.MAX_PARTITION_FETCH_BYTES_CONFIG, 4 * 1024 * 1024);
        props.putAll(overrides);
        KafkaConsumer<ImageKey, V> consumer = new KafkaConsumer<>(
                props,
                topic.keySerde(serdes).deserializer(),
                topic.valueSerde(serdes).deserializer());
        List<TopicPartition> partitions = new ArrayList<>();
        for (PartitionInfo info : consumer.partitionsFor(topic.name())) {
            partitions.add(new TopicPartition(info.topic(), info.partition()));
        }
        consumer.assign(partitions);
        consumer.seekToBeginning(partitions);
        return consumer;
    }

    /**
     * Reads both topics up to their current end.
     *
     * @return how many records of this class set were read
     * @throws IllegalStateException when the end is not reached within {@code timeout}
     */
    public int catchUp(Duration timeout) {
        return catchUp(timeout, (read, total) -> {});
    }

    /**
     * Reads both topics up to their current end, telling {@code progress} how many records of the
     * two topics were read of how many there were to read.
     *
     * @return how many records of this class set were read
     * @throws IllegalStateException when the end is not reached within {@code timeout}
     */
    public int catchUp(Duration timeout, BiConsumer<Long, Long> progress) {
        long deadline = System.nanoTime() + timeout.toNanos();
        long total = remaining(labels) + remaining(scores);
        long[] polled = {0};
        java.util.function.LongConsumer advanced = n -> {
            polled[0] += n;
            progress.accept(Math.min(polled[0], total), total);
        };
        int read = readToEnd(labels, deadline, advanced, record -> {
            if (record.value() == null) {
                latestLabels.remove(record.key().getImageId());
            } else {
                latestLabels.put(record.key().getImageId(), record.value());
            }
        });
        read += readToEnd(scores, deadline, advanced, record -> {
            if (record.value() != null) {
                latestScores.put(record.key().getImageId(), record.value());
            }
        });
        return read;
    }

    private <V> int readToEnd(
            KafkaConsumer<ImageKey, V> consumer,
            long deadline,
            java.util.function.LongConsumer advanced,
            java.util.function.Consumer<ConsumerRecord<ImageKey, V>> sink) {
        Map<TopicPartition, Long> end = consumer.endOffsets(consumer.assignment());
        int read = 0;
        while (end.entrySet().stream().anyMatch(e -> consumer.position(e.getKey()) < e.getValue())) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("could not read " + end.keySet() + " to its end in time");
            }
            var records = consumer.poll(Duration.ofMillis(200));
            advanced.accept(records.count());
            for (ConsumerRecord<ImageKey, V> record : records) {
                if (record.key() == null) {
                    continue;
                }
                if (record.key().getClassSetId().equals(classSetId)) {
                    sink.accept(record);
                    read++;
                } else if (consumer == (Object) labels) {
                    otherLabels++;
                }
            }
        }
        return read;
    }

    private static long remaining(KafkaConsumer<?, ?> consumer) {
        Map<TopicPartition, Long> end = consumer.endOffsets(consumer.assignment());
        return end.entrySet().stream()
                .mapToLong(e -> Math.max(0, e.getValue() - consumer.position(e.getKey())))
                .sum();
    }

    /** The latest label of each image of the class set, by image id. */
    public Map<String, Label> labels() {
        return latestLabels;
    }

    /** The latest scores of each image of the class set, by image id. */
    public Map<String, Scores> scores() {
        return latestScores;
    }

    /** Label records of other class sets read so far (for a message when this one has none). */
    public int otherLabels() {
        return otherLabels;
    }

    @Override
    public void close() {
        labels.close();
        scores.close();
    }
}
