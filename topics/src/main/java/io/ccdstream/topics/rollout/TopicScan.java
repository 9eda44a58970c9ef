package io.ccdstream.topics.rollout;

import io.ccdstream.topics.SerdeFactory;
import io.ccdstream.topics.Topic;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;

/** Reads a whole topic once, from its beginning to the end it had when the scan started. */
final class TopicScan {

    private TopicScan() {}

    /**
     * Passes every committed non-null value of {@code topic} to {@code sink} (read_committed, no
     * consumer group, whatever the pass-through {@code overrides} say).
     *
     * @throws IllegalStateException when the end is not reached within {@code timeout}
     */
    static <K extends SpecificRecord, V extends SpecificRecord> void toEnd(
            String bootstrapServers,
            SerdeFactory serdes,
            Map<String, ?> overrides,
            Topic<K, V> topic,
            Duration timeout,
            Consumer<V> sink) {
        Map<String, Object> props = new HashMap<>();
        props.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        props.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        // the image topic's records may be up to 2 MiB
        props.put(ConsumerConfig.MAX_PARTITION_FETCH_BYTES_CONFIG, 4 * 1024 * 1024);
        props.putAll(overrides);
        props.remove(ConsumerConfig.GROUP_ID_CONFIG);
        try (KafkaConsumer<K, V> consumer = new KafkaConsumer<>(
                props,
                topic.keySerde(serdes).deserializer(),
                topic.valueSerde(serdes).deserializer())) {
            List<TopicPartition> partitions = consumer.partitionsFor(topic.name(), timeout).stream()
                    .map(p -> new TopicPartition(p.topic(), p.partition()))
                    .toList();
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            Map<TopicPartition, Long> end = consumer.endOffsets(partitions, timeout);
            long deadline = System.nanoTime() + timeout.toNanos();
            while (partitions.stream().anyMatch(p -> consumer.position(p) < end.get(p))) {
                if (System.nanoTime() > deadline) {
                    throw new IllegalStateException("could not read " + topic.name() + " to its end within " + timeout);
                }
                for (ConsumerRecord<K, V> record : consumer.poll(Duration.ofMillis(200))) {
                    if (record.value() != null) {
                        sink.accept(record.value());
                    }
                }
            }
        }
    }
}
