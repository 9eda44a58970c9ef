package io.ccdstream.streams.scorer;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.streams.StreamsConfig;

/**
 * The scorer's Kafka settings, from what its model costs. With the model on a {@link ModelLane}, the
 * stream thread waits for the model only when images pile up: for at most {@link
 * BatchingSettings#maxBlock()} while twice a batch is waiting, and for the end of the call in progress
 * while four times a batch is (so the buffer, and the memory it takes, stay bounded). The longest call is
 * the larger of the call budget ({@link BatchingSettings#maxCallTime()}) and one image with every class
 * cropped ({@code 1 + classes} CLIP calls at the measured cost of one). So:
 *
 * <ul>
 *   <li>{@code transaction.timeout.ms} = max(10 s, 4 x (the longest call + commit interval)): a margin of
 *       four over the longest a transaction can stay open;</li>
 *   <li>{@code max.poll.interval.ms} = max(5 min, 3 x the longest call + {@value #CLOSE_WAIT_MS} ms): the
 *       longest the thread goes without polling is when a task closes and waits for the call in progress
 *       (at most {@value #CLOSE_WAIT_MS} ms);</li>
 *   <li>{@code max.poll.records} = max(50, 4 x the batch size): one poll brings a few batches' worth, not
 *       a thousand images of up to 1 MiB each.</li>
 * </ul>
 * Each can be overridden by its {@code kafka.}-prefixed setting.
 *
 * @param transactionTimeoutMs the producer's transaction timeout
 * @param maxPollIntervalMs    the consumer's poll interval bound
 * @param maxPollRecords       records per poll
 * @param imageNanos           the measured cost of one image's global view (CLIP call), nanoseconds
 */
public record ScorerTuning(long transactionTimeoutMs, long maxPollIntervalMs, int maxPollRecords, long imageNanos) {

    /** What a closing task waits for the model call in progress, at most. */
    static final long CLOSE_WAIT_MS = 60_000;

    /**
     * The settings for a model that takes {@code imageNanos} for one image's CLIP call, serving a class set
     * of {@code classes}.
     */
    public static ScorerTuning of(long imageNanos, int classes, ScorerSettings settings, long commitIntervalMs) {
        BatchingSettings batching = settings.batching();
        long oneRefinedImageMs = Duration.ofNanos(imageNanos).toMillis() * (1L + classes);
        long longestCallMs = Math.max(batching.maxCallTime().toMillis(), oneRefinedImageMs);
        long transaction = Math.max(
                10_000, 4 * (Math.max(longestCallMs, batching.maxBlock().toMillis()) + commitIntervalMs));
        long poll = Math.max(300_000, 3 * longestCallMs + CLOSE_WAIT_MS);
        int records = Math.max(50, 4 * settings.batchSize());
        return new ScorerTuning(transaction, poll, records, imageNanos);
    }

    /** The Kafka Streams properties these settings stand for. */
    public Map<String, Object> streamsProperties() {
        Map<String, Object> props = new LinkedHashMap<>();
        props.put(StreamsConfig.producerPrefix(ProducerConfig.TRANSACTION_TIMEOUT_CONFIG), (int) transactionTimeoutMs);
        props.put(StreamsConfig.consumerPrefix(ConsumerConfig.MAX_POLL_INTERVAL_MS_CONFIG), (int) maxPollIntervalMs);
        props.put(StreamsConfig.consumerPrefix(ConsumerConfig.MAX_POLL_RECORDS_CONFIG), maxPollRecords);
        return props;
    }
}
