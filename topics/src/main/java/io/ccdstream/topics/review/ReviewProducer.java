package io.ccdstream.topics.review;

import io.ccdstream.schemas.ImageKey;
import io.ccdstream.schemas.Review;
import io.ccdstream.topics.CcdTopics;
import io.ccdstream.topics.ClusterAccess;
import io.ccdstream.topics.SerdeFactory;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;

/**
 * Writes reviews to {@link CcdTopics#REVIEWS}, keyed by image: each {@link #send} returns once the broker
 * has the review (acks=all, idempotent), or throws, so that an answer is never reported saved when it is not.
 * Thread-safe.
 */
public final class ReviewProducer implements AutoCloseable {

    private static final Duration TIMEOUT = Duration.ofSeconds(30);

    private final KafkaProducer<ImageKey, Review> producer;

    /**
     * A producer for the cluster at {@code bootstrapServers}.
     *
     * @param overrides further producer settings (security settings, ...), applied last
     */
    public ReviewProducer(String bootstrapServers, SerdeFactory serdes, Map<String, ?> overrides) {
        Map<String, Object> props = new HashMap<>();
        props.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        props.put(ProducerConfig.ACKS_CONFIG, "all");
        props.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
        props.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, (int) TIMEOUT.toMillis());
        props.putAll(overrides);
        this.producer = new KafkaProducer<>(
                props,
                CcdTopics.REVIEWS.keySerde(serdes).serializer(),
                CcdTopics.REVIEWS.valueSerde(serdes).serializer());
    }

    /**
     * Writes {@code review} and waits for the broker's acknowledgement.
     *
     * @throws IllegalStateException when it was not acknowledged in time, or the cluster refused it
     */
    public void send(Review review) {
        ImageKey key = new ImageKey(review.getClassSetId(), review.getImageId());
        try {
            producer.send(new ProducerRecord<>(CcdTopics.REVIEWS.name(), key, review))
                    .get(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while writing the review of " + review.getImageId(), e);
        } catch (ExecutionException | TimeoutException e) {
            throw new IllegalStateException(
                    "could not write the review of " + review.getImageId() + " to " + CcdTopics.REVIEWS.name() + ": "
                            + (e.getCause() == null ? e : e.getCause()),
                    e);
        } catch (RuntimeException e) {
            throw ClusterAccess.translate(e, "write reviews");
        }
    }

    @Override
    public void close() {
        producer.close(Duration.ofSeconds(5));
    }
}
