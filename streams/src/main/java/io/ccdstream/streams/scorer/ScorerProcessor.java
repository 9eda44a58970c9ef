package io.ccdstream.streams.scorer;

import io.ccdstream.method.image.RgbImage;
import io.ccdstream.schemas.Image;
import io.ccdstream.schemas.ImageKey;
import io.ccdstream.schemas.PendingImage;
import io.ccdstream.schemas.Scores;
import io.ccdstream.streams.metrics.PipelineMetrics;
import io.ccdstream.topics.DeadLetters;
import io.ccdstream.topics.PoisonRecordException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.common.serialization.Serializer;
import org.apache.kafka.streams.processor.PunctuationType;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.processor.api.RecordMetadata;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Scores images in batches. Each image is validated and decoded as it arrives (a poison record
 * fails there, with its own coordinates), then buffered in a changelogged store; the buffer is
 * scored as one batch when it holds {@code batchSize} images or when {@code maxWait} has passed,
 * and each result is forwarded and its image removed from the buffer. Under exactly-once the
 * buffer's changelog, the consumed offsets and the outputs commit in one transaction, so a crash
 * loses no image and scores none twice: the restored buffer holds exactly the images whose
 * results were not committed.
 *
 * <p>An image scored while no classifier checkpoint exists for its class set is kept in a second
 * store; once a checkpoint is loaded, a punctuator refines those images a batch at a time and
 * removes each in the transaction that emits its refined scores (backfill: none left behind, none
 * refined twice).
 *
 * <p>A failure while scoring a batch is attributed to an image only when the model scores a control
 * image and (in a batch of several) the image fails alone while another succeeds; such an image
 * goes to the dead-letter topic with reason {@code MODEL_FAILURE} and its source coordinates. Any
 * other model failure is the model's, not the images': the service stops with the images buffered.
 */
final class ScorerProcessor implements Processor<ImageKey, Image, Object, Object> {

    private static final Logger LOG = LoggerFactory.getLogger(ScorerProcessor.class);

    private final ScoringEngine engine;
    private final ScorerSettings settings;
    private final PipelineMetrics metrics;
    private final Serializer<ImageKey> keySerializer;
    private final Serializer<Image> imageSerializer;
    private final Map<ImageKey, RgbImage> decoded = new HashMap<>();
    private ProcessorContext<Object, Object> context;
    private KeyValueStore<ImageKey, PendingImage> buffer;
    private KeyValueStore<ImageKey, PendingImage> awaitingRefinement;
    private int buffered;

    ScorerProcessor(
            ScoringEngine engine,
            ScorerSettings settings,
            Serializer<ImageKey> keySerializer,
            Serializer<Image> imageSerializer,
            PipelineMetrics metrics) {
        this.engine = engine;
        this.settings = settings;
        this.metrics = metrics;
        this.keySerializer = keySerializer;
        this.imageSerializer = imageSerializer;
    }

    @Override
    public void init(ProcessorContext<Object, Object> context) {
        this.context = context;
        this.buffer = context.getStateStore(ScorerTopology.BUFFER_STORE);
        this.awaitingRefinement = context.getStateStore(ScorerTopology.AWAITING_REFINEMENT_STORE);
        decoded.clear();
        buffered = 0;
        try (KeyValueIterator<ImageKey, PendingImage> all = buffer.all()) {
            all.forEachRemaining(entry -> buffered++);
        }
        context.schedule(settings.maxWait(), PunctuationType.WALL_CLOCK_TIME, now -> flush());
        context.schedule(settings.backfillInterval(), PunctuationType.WALL_CLOCK_TIME, now -> backfill());
    }

    @Override
    public void process(Record<ImageKey, Image> record) {
        if (record.value() == null) {
            // ccd.images is not compacted and an image has nothing to delete downstream: a tombstone
            // is a producer's mistake, skipped with a dead letter rather than taken as a deletion
            throw new PoisonRecordException(
                    "TOMBSTONE",
                    "image "
                            + (record.key() == null
                                    ? "with no key"
                                    : record.key().getImageId())
                            + " has no value (tombstone); ccd.images carries images only");
        }
        RgbImage pixels = engine.prepare(record.key(), record.value());
        RecordMetadata source = context.recordMetadata()
                .orElseThrow(() -> new IllegalStateException("scorer records must come from a topic"));
        PendingImage pending = new PendingImage(
                record.value(),
                source.topic(),
                source.partition(),
                source.offset(),
                Instant.ofEpochMilli(record.timestamp()));
        if (buffer.get(record.key()) == null) {
            buffered++;
        }
        buffer.put(record.key(), pending);
        decoded.put(record.key(), pixels);
        if (buffered >= settings.batchSize()) {
            flush();
        }
    }

    /** Scores everything buffered, a batch at a time; package-private for tests. */
    void flush() {
        while (buffered > 0) {
            List<Prepared> batch = take(buffer, settings.batchSize(), false);
            scoreAndForward(batch, buffer);
            buffered = Math.max(0, buffered - batch.size());
            if (batch.isEmpty()) {
                buffered = 0;
            }
        }
    }

    /** Refines one batch of images scored before their class set had a checkpoint; package-private for tests. */
    void backfill() {
        List<Prepared> batch = take(awaitingRefinement, settings.batchSize(), true);
        if (!batch.isEmpty()) {
            LOG.info("Backfilling {} images with their CAM-crop refinement", batch.size());
            scoreAndForward(batch, awaitingRefinement);
        }
    }

    private List<Prepared> take(KeyValueStore<ImageKey, PendingImage> store, int max, boolean refinableOnly) {
        List<Prepared> batch = new ArrayList<>();
        List<ImageKey> unreadable = new ArrayList<>();
        try (KeyValueIterator<ImageKey, PendingImage> all = store.all()) {
            while (all.hasNext() && batch.size() < max) {
                var entry = all.next();
                if (refinableOnly && !engine.canRefine(entry.key.getClassSetId())) {
                    continue;
                }
                RgbImage pixels = decoded.get(entry.key);
                if (pixels == null) {
                    try {
                        pixels = engine.prepare(entry.key, entry.value.getImage());
                    } catch (PoisonRecordException e) {
                        deadLetter(entry.key, entry.value, e.reason(), e);
                        unreadable.add(entry.key);
                        continue;
                    }
                }
                batch.add(new Prepared(entry.key, entry.value, pixels));
            }
        }
        unreadable.forEach(store::delete);
        return batch;
    }

    private void scoreAndForward(List<Prepared> batch, KeyValueStore<ImageKey, PendingImage> from) {
        long started = System.nanoTime();
        List<Scores> results = scoreOrSplit(batch);
        metrics.batchScored(batch.size(), System.nanoTime() - started);
        for (int i = 0; i < batch.size(); i++) {
            Prepared image = batch.get(i);
            Scores scores = results.get(i);
            if (scores != null) {
                scores.setRescore(from == awaitingRefinement);
                metrics.imageScored(scores);
                context.forward(
                        new Record<>(
                                image.key(),
                                scores,
                                image.pending().getTimestamp().toEpochMilli()),
                        ScorerTopology.SCORES_SINK);
                if (scores.getLocal() == null && engine.refinesLater()) {
                    awaitingRefinement.put(image.key(), image.pending());
                } else if (from != awaitingRefinement) {
                    awaitingRefinement.delete(image.key());
                }
            }
            from.delete(image.key());
            if (from == buffer) {
                decoded.remove(image.key());
            }
        }
    }

    /**
     * Scores the batch. A failure is attributed to an image only when the model is shown to work:
     * it scores a control image of each class set of the batch, and (in a batch of several) the
     * image fails alone while another succeeds. Such an image is dead-lettered with reason {@code
     * MODEL_FAILURE} (null result). A failure that cannot be attributed — the control image fails
     * too, or every image of the batch fails alone — is the model's or the engine's, not the
     * records': it stops the service with the images still buffered, rather than emptying the
     * stream into the dead-letter topic.
     */
    private List<Scores> scoreOrSplit(List<Prepared> batch) {
        try {
            return engine.score(batch);
        } catch (RuntimeException batchFailure) {
            checkModel(batch, batchFailure);
            if (batch.size() == 1) {
                deadLetter(batch.get(0).key(), batch.get(0).pending(), "MODEL_FAILURE", batchFailure);
                return java.util.Collections.singletonList(null);
            }
            LOG.warn("Scoring a batch of {} failed; scoring its images one by one", batch.size(), batchFailure);
            List<Scores> results = new ArrayList<>();
            List<RuntimeException> failures = new ArrayList<>();
            for (Prepared image : batch) {
                try {
                    results.add(engine.score(List.of(image)).get(0));
                    failures.add(null);
                } catch (RuntimeException imageFailure) {
                    results.add(null);
                    failures.add(imageFailure);
                }
            }
            if (results.stream().allMatch(java.util.Objects::isNull)) {
                throw new IllegalStateException(
                        "the model failed on every image of a batch of " + batch.size()
                                + ": not a problem of the images",
                        batchFailure);
            }
            for (int i = 0; i < batch.size(); i++) {
                if (failures.get(i) != null) {
                    deadLetter(batch.get(i).key(), batch.get(i).pending(), "MODEL_FAILURE", failures.get(i));
                }
            }
            return results;
        }
    }

    /** Stops the service when the model fails on a control image too: the failure is not the images'. */
    private void checkModel(List<Prepared> batch, RuntimeException batchFailure) {
        for (String classSetId :
                batch.stream().map(p -> p.key().getClassSetId()).distinct().toList()) {
            try {
                engine.checkModel(classSetId);
            } catch (RuntimeException controlFailure) {
                IllegalStateException broken = new IllegalStateException(
                        "the model fails on a control image of class set " + classSetId + " too: not a problem of the "
                                + batch.size() + " buffered image(s), stopping",
                        batchFailure);
                broken.addSuppressed(controlFailure);
                throw broken;
            }
        }
    }

    private void deadLetter(ImageKey key, PendingImage pending, String reason, Exception exception) {
        LOG.warn(
                "Dead-lettering image {} from {}-{}@{} ({}): {}",
                key.getImageId(),
                pending.getSourceTopic(),
                pending.getSourcePartition(),
                pending.getSourceOffset(),
                reason,
                exception.getMessage());
        metrics.deadLetter(ScorerTopology.SERVICE, reason);
        byte[] keyBytes = keySerializer.serialize(pending.getSourceTopic(), key);
        byte[] valueBytes = imageSerializer.serialize(pending.getSourceTopic(), pending.getImage());
        var headers = DeadLetters.headers(
                List.of(),
                reason,
                exception,
                pending.getSourceTopic(),
                pending.getSourcePartition(),
                pending.getSourceOffset(),
                ScorerTopology.SCORER_NODE);
        context.forward(
                new Record<Object, Object>(
                        keyBytes, valueBytes, pending.getTimestamp().toEpochMilli(), headers),
                ScorerTopology.DEAD_LETTER_SINK);
    }
}
