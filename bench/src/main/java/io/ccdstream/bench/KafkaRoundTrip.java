package io.ccdstream.bench;

import io.ccdstream.schemas.ImageKey;
import io.ccdstream.topics.OutputWatcher;
import io.ccdstream.topics.SerdeFactory;
import io.ccdstream.topics.Topic;
import java.time.Duration;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;

/**
 * Sends items into a running pipeline with a bounded number in flight, and times each from its
 * send until its first record appears, read_committed, on an output topic.
 */
public final class KafkaRoundTrip<V extends SpecificRecord> implements AutoCloseable {

    /** The first output record per item id, in arrival order, and the timing. */
    public record Result<V>(Timing timing, Map<String, V> outputs) {}

    private final KafkaConsumer<ImageKey, V> consumer;
    private final Map<String, Long> sentAt = new HashMap<>();
    private final Map<String, V> outputs = new LinkedHashMap<>();
    private long[] latencies;
    private long lastSeen;

    /** Reads {@code output} from its current end on. */
    public KafkaRoundTrip(String bootstrapServers, SerdeFactory serdes, Topic<ImageKey, V> output) {
        this.consumer = new KafkaConsumer<>(
                OutputWatcher.props(bootstrapServers),
                output.keySerde(serdes).deserializer(),
                output.valueSerde(serdes).deserializer());
        OutputWatcher.startAtEnd(consumer, output.name());
    }

    /**
     * Sends {@code ids} in order, at most {@code window} of them awaiting their output at a time,
     * until each has an output.
     *
     * @param send  sends the item of an id (may buffer)
     * @param flush pushes buffered sends out
     * @throws IllegalStateException if not every item has an output within {@code timeout}
     */
    public Result<V> run(List<String> ids, int window, Consumer<String> send, Runnable flush, Duration timeout) {
        sentAt.clear();
        outputs.clear();
        latencies = new long[ids.size()];
        long start = System.nanoTime();
        long deadline = start + timeout.toNanos();
        int sent = 0;
        while (outputs.size() < ids.size()) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException(
                        "only " + outputs.size() + " of " + ids.size() + " outputs within " + timeout);
            }
            int before = sent;
            while (sent < ids.size() && sent - outputs.size() < window) {
                sentAt.put(ids.get(sent), System.nanoTime());
                send.accept(ids.get(sent++));
            }
            if (sent > before) {
                flush.run();
            }
            receive();
        }
        return new Result<>(new Timing(latencies, lastSeen - start), new LinkedHashMap<>(outputs));
    }

    private void receive() {
        for (ConsumerRecord<ImageKey, V> record : consumer.poll(Duration.ofMillis(5))) {
            String id = record.key().getImageId();
            Long sent = sentAt.get(id);
            if (sent != null && !outputs.containsKey(id)) {
                lastSeen = System.nanoTime();
                latencies[outputs.size()] = lastSeen - sent;
                outputs.put(id, record.value());
            }
        }
    }

    @Override
    public void close() {
        consumer.close();
    }
}
