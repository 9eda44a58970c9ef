package io.ccdstream.topics;

import io.ccdstream.schemas.ImageKey;
import io.ccdstream.schemas.Label;
import java.time.Duration;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;

/**
 * Reads what the pipeline writes from now on: labels (read_committed, latest per image) and dead
 * letters (counted by reason). Not thread-safe; poll from one thread.
 */
public final class OutputWatcher implements AutoCloseable {

    private final KafkaConsumer<ImageKey, Label> labels;
    private final KafkaConsumer<byte[], byte[]> deadLetters;
    private final Map<String, Label> latest = new LinkedHashMap<>();
    private final Map<String, Integer> deadLetterReasons = new TreeMap<>();
    private final Map<String, String> deadLetterMessages = new LinkedHashMap<>();
    private final Map<String, Set<String>> deadLetterProcessors = new HashMap<>();

    public OutputWatcher(String bootstrapServers, SerdeFactory serdes, String deadLetterTopic) {
        this(bootstrapServers, serdes, deadLetterTopic, Map.of());
    }

    /**
     * Watches the cluster at {@code bootstrapServers}.
     *
     * @param overrides further consumer settings (security settings, ...), applied last
     */
    public OutputWatcher(
            String bootstrapServers, SerdeFactory serdes, String deadLetterTopic, Map<String, ?> overrides) {
        this.labels = new KafkaConsumer<>(
                props(bootstrapServers, overrides),
                CcdTopics.LABELS.keySerde(serdes).deserializer(),
                CcdTopics.LABELS.valueSerde(serdes).deserializer());
        this.deadLetters = new KafkaConsumer<>(
                props(bootstrapServers, overrides), new ByteArrayDeserializer(), new ByteArrayDeserializer());
        try {
            startAtEnd(labels, CcdTopics.LABELS.name());
            startAtEnd(deadLetters, deadLetterTopic);
        } catch (RuntimeException e) {
            close();
            throw ClusterAccess.translate(e, "read the pipeline's output");
        }
    }

    /** A consumer of {@code topic} with {@link #props(String)}, its records deserialized through {@code serdes}. */
    public static <K extends org.apache.avro.specific.SpecificRecord, V extends org.apache.avro.specific.SpecificRecord>
            KafkaConsumer<K, V> consumer(String bootstrapServers, Topic<K, V> topic, SerdeFactory serdes) {
        return new KafkaConsumer<>(
                props(bootstrapServers),
                topic.keySerde(serdes).deserializer(),
                topic.valueSerde(serdes).deserializer());
    }

    /** Settings of a consumer that reads committed output and commits nothing. */
    public static Map<String, Object> props(String bootstrapServers) {
        return props(bootstrapServers, Map.of());
    }

    /**
     * Settings of a consumer that reads committed output and commits nothing, with {@code overrides}
     * (security settings, ...) applied last.
     */
    public static Map<String, Object> props(String bootstrapServers, Map<String, ?> overrides) {
        Map<String, Object> props = new HashMap<>();
        props.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        props.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        props.put(ConsumerConfig.MAX_PARTITION_FETCH_BYTES_CONFIG, 4 * 1024 * 1024);
        props.put(ConsumerConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, 30_000);
        props.putAll(overrides);
        return props;
    }

    /** Assigns {@code consumer} every partition of {@code topic}, positioned at its end. */
    public static void startAtEnd(KafkaConsumer<?, ?> consumer, String topic) {
        List<TopicPartition> partitions = consumer.partitionsFor(topic, Duration.ofSeconds(30)).stream()
                .map(info -> new TopicPartition(topic, info.partition()))
                .toList();
        consumer.assign(partitions);
        consumer.seekToEnd(partitions);
        partitions.forEach(consumer::position);
    }

    /** Reads what arrived within about {@code timeout}. */
    public void poll(Duration timeout) {
        for (ConsumerRecord<ImageKey, Label> record : labels.poll(timeout.dividedBy(2))) {
            latest.put(record.key().getImageId(), record.value());
        }
        for (ConsumerRecord<byte[], byte[]> record : deadLetters.poll(timeout.dividedBy(2))) {
            String reason = String.valueOf(DeadLetters.header(record.headers(), DeadLetters.REASON));
            String where = DeadLetters.source(record.headers());
            String processor = DeadLetters.header(record.headers(), DeadLetters.PROCESSOR);
            if (!deadLetterMessages.containsKey(where)) {
                // one source record refused by several services (scorer and trainer) counts once
                deadLetterReasons.merge(reason, 1, Integer::sum);
                deadLetterMessages.put(
                        where, reason + ": " + DeadLetters.header(record.headers(), DeadLetters.MESSAGE));
            }
            deadLetterProcessors
                    .computeIfAbsent(where, w -> new TreeSet<>())
                    .add(processor == null ? "deserialization" : processor);
        }
    }

    /** Latest label per image id, in arrival order. */
    public Map<String, Label> labels() {
        return latest;
    }

    /** Dead letters per reason code. */
    public Map<String, Integer> deadLetterReasons() {
        return deadLetterReasons;
    }

    /** Dead-lettered source records by coordinates, with reason, message and the processors that refused them. */
    public Map<String, String> deadLetterMessages() {
        Map<String, String> described = new LinkedHashMap<>();
        deadLetterMessages.forEach((where, why) -> described.put(
                where, why + " (by " + String.join(", ", deadLetterProcessors.getOrDefault(where, Set.of())) + ")"));
        return described;
    }

    /** Source records dead-lettered, each once however many services refused it. */
    public int deadLetterCount() {
        return deadLetterReasons.values().stream().mapToInt(Integer::intValue).sum();
    }

    @Override
    public void close() {
        labels.close();
        deadLetters.close();
    }
}
