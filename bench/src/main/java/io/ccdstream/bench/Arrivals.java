package io.ccdstream.bench;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Function;
import java.util.function.Predicate;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;

/**
 * Watches an output topic, read_committed, from its end at construction: when each expected output
 * first arrived, its record timestamp (the input's, which Kafka Streams carries over) and value.
 *
 * @param <K> key type
 * @param <V> value type
 */
final class Arrivals<K, V> implements AutoCloseable {

    /** One output: its value, when it became readable (nanoTime) and its record timestamp (epoch ms). */
    record Arrival<V>(V value, long arrivedNanos, long arrivedMillis, long recordTimestamp) {}

    /**
     * A backlog's outputs.
     *
     * @param firstNanos   when the first poll that returned an expected output returned
     * @param firstCount   the expected outputs that poll returned
     * @param lastNanos    when the last expected output arrived
     * @param outputs      the first output of each id, in arrival order
     */
    record Result<V>(long firstNanos, int firstCount, long lastNanos, Map<String, Arrival<V>> outputs) {

        /**
         * Outputs after the first committed batch per second from that batch to the last output; when
         * the first batch holds more than half the outputs (a short run), every output per second
         * from {@code startNanos}, the service's start, instead.
         */
        double perSecond(long startNanos) {
            if (firstCount * 2 > outputs.size()) {
                return outputs.size() / ((lastNanos - startNanos) / 1e9);
            }
            return (outputs.size() - firstCount) / ((lastNanos - firstNanos) / 1e9);
        }
    }

    private final KafkaConsumer<K, V> consumer;
    private final Function<ConsumerRecord<K, V>, String> id;

    /** Reads {@code topic} with {@code consumer} from its current end; an output's id is {@code id}. */
    Arrivals(KafkaConsumer<K, V> consumer, String topic, Function<ConsumerRecord<K, V>, String> id) {
        this.consumer = consumer;
        this.id = id;
        io.ccdstream.topics.OutputWatcher.startAtEnd(consumer, topic);
    }

    /**
     * Polls until {@code count} outputs whose id passes {@code expected} arrived.
     *
     * @throws IllegalStateException if they did not within {@code timeout}
     */
    Result<V> await(Predicate<String> expected, int count, Duration timeout) {
        return await(expected, count, timeout, new LinkedHashMap<>());
    }

    /**
     * Polls until {@code count} outputs whose id passes {@code expected} are in {@code outputs},
     * which may hold some already (from {@link #collect}).
     */
    Result<V> await(Predicate<String> expected, int count, Duration timeout, Map<String, Arrival<V>> outputs) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (outputs.size() < count) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException(
                        "only " + outputs.size() + " of " + count + " outputs within " + timeout);
            }
            collect(expected, outputs, Duration.ofMillis(5));
        }
        long first = Long.MAX_VALUE;
        long last = 0;
        for (Arrival<V> arrival : outputs.values()) {
            first = Math.min(first, arrival.arrivedNanos());
            last = Math.max(last, arrival.arrivedNanos());
        }
        long firstPoll = first;
        int firstCount = (int) outputs.values().stream()
                .filter(a -> a.arrivedNanos() == firstPoll)
                .count();
        return new Result<>(first, firstCount, last, outputs);
    }

    /** One poll of at most {@code wait}: adds the first output of each id passing {@code expected}. */
    void collect(Predicate<String> expected, Map<String, Arrival<V>> outputs, Duration wait) {
        var records = consumer.poll(wait);
        long now = System.nanoTime();
        long nowMillis = System.currentTimeMillis();
        for (ConsumerRecord<K, V> record : records) {
            String key = id.apply(record);
            if (expected.test(key) && !outputs.containsKey(key)) {
                outputs.put(key, new Arrival<>(record.value(), now, nowMillis, record.timestamp()));
            }
        }
    }

    @Override
    public void close() {
        consumer.close();
    }
}
