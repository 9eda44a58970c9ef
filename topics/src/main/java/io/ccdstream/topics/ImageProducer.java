package io.ccdstream.topics;

import io.ccdstream.schemas.Image;
import io.ccdstream.schemas.ImageKey;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;

/**
 * Produces image records into {@link CcdTopics#IMAGES}. Every send is confirmed: {@link #flush()}
 * waits for each acknowledgement and fails when any send failed, so nothing is reported sent that
 * was not.
 */
public final class ImageProducer implements AutoCloseable {

    private final KafkaProducer<ImageKey, Image> producer;
    private final List<Future<RecordMetadata>> pending = new ArrayList<>();

    /**
     * A producer for the cluster at {@code bootstrapServers}.
     *
     * @param overrides further producer settings (security settings, ...), applied last
     */
    public ImageProducer(String bootstrapServers, SerdeFactory serdes, Map<String, ?> overrides) {
        Map<String, Object> props = new HashMap<>();
        props.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        props.put(ProducerConfig.ACKS_CONFIG, "all");
        props.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
        props.put(ProducerConfig.MAX_REQUEST_SIZE_CONFIG, 4 * 1024 * 1024);
        props.put(ProducerConfig.LINGER_MS_CONFIG, 5);
        // a send waits for metadata at most this long; authentication failures come at once
        props.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, 30_000);
        props.putAll(overrides);
        this.producer = new KafkaProducer<>(
                props,
                CcdTopics.IMAGES.keySerde(serdes).serializer(),
                CcdTopics.IMAGES.valueSerde(serdes).serializer());
    }

    /** A producer with the default settings. */
    public ImageProducer(String bootstrapServers, SerdeFactory serdes) {
        this(bootstrapServers, serdes, Map.of());
    }

    /** Sends {@code image} keyed by its class set and id; {@link #flush()} confirms it. */
    public Future<RecordMetadata> send(Image image) {
        Future<RecordMetadata> sent;
        try {
            sent = producer.send(new ProducerRecord<>(
                    CcdTopics.IMAGES.name(), new ImageKey(image.getClassSetId(), image.getImageId()), image));
        } catch (RuntimeException e) {
            throw ClusterAccess.translate(e, "send images");
        }
        pending.add(sent);
        return sent;
    }

    /**
     * Sends {@code images} and waits for each one's acknowledgement, independently of
     * {@link #flush()}.
     *
     * @return per image, in order, where it was written, or the reason it was not
     */
    public List<Sent> sendConfirmed(List<Image> images) {
        List<Future<RecordMetadata>> sends = new ArrayList<>(images.size());
        List<Sent> results = new ArrayList<>(images.size());
        for (Image image : images) {
            try {
                sends.add(producer.send(new ProducerRecord<>(
                        CcdTopics.IMAGES.name(), new ImageKey(image.getClassSetId(), image.getImageId()), image)));
            } catch (RuntimeException e) {
                // refused before it was sent (serialization, record too large, closed producer)
                sends.add(java.util.concurrent.CompletableFuture.failedFuture(e));
            }
        }
        producer.flush();
        for (Future<RecordMetadata> sent : sends) {
            try {
                RecordMetadata metadata = sent.get();
                results.add(new Sent(metadata.partition(), metadata.offset(), null));
            } catch (ExecutionException e) {
                Throwable cause = e.getCause();
                results.add(new Sent(-1, -1, cause.getClass().getSimpleName() + ": " + cause.getMessage()));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while waiting for acknowledgements", e);
            }
        }
        return results;
    }

    /**
     * The outcome of one confirmed send.
     *
     * @param partition where it was written, or -1
     * @param offset    its offset, or -1
     * @param failure   why it was not acknowledged, or null when it was
     */
    public record Sent(int partition, long offset, String failure) {

        /** Whether the broker acknowledged it. */
        public boolean acknowledged() {
            return failure == null;
        }
    }

    /**
     * Waits for every image sent so far to be acknowledged.
     *
     * @throws IllegalStateException naming the first failure, when any send failed
     */
    public void flush() {
        try {
            producer.flush();
        } catch (RuntimeException e) {
            throw ClusterAccess.translate(e, "send images");
        }
        List<Future<RecordMetadata>> waiting = new ArrayList<>(pending);
        pending.clear();
        for (Future<RecordMetadata> sent : waiting) {
            try {
                sent.get();
            } catch (ExecutionException e) {
                ClusterAccess.explain(e.getCause(), "send images").ifPresent(failure -> {
                    throw failure;
                });
                throw new IllegalStateException(
                        "an image was not acknowledged: " + e.getCause().getMessage(), e.getCause());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while waiting for acknowledgements", e);
            }
        }
    }

    @Override
    public void close() {
        producer.close();
    }
}
