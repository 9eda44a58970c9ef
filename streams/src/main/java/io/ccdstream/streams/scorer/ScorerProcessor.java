package io.ccdstream.streams.scorer;

import io.ccdstream.method.image.RgbImage;
import io.ccdstream.schemas.Image;
import io.ccdstream.schemas.ImageKey;
import io.ccdstream.schemas.PendingImage;
import io.ccdstream.schemas.RescoreState;
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
 * <p>Re-scoring: every image scored with a checkpoint is kept (a bounded store per task, see {@link
 * RescoreQueue}) with the checkpoint that examined it; when a clearly better checkpoint of its class
 * set is in use, a punctuator re-scores such images within a share of the scorer's time, most useful
 * first, and emits their new scores ({@code rescore = true}) in the transaction that records the new
 * checkpoint against the image, so each image is re-scored at most once per checkpoint version.
 * An image that can no longer be read (a claim-checked file deleted since) leaves the store without a
 * dead letter: its label stays as it was.
 *
 * <p>A failure while scoring a batch is attributed to an image only when the model scores a control
 * image and (in a batch of several) the image fails alone while another succeeds; such an image
 * goes to the dead-letter topic with reason {@code MODEL_FAILURE} and its source coordinates. Any
 * other model failure is the model's, not the images': the service stops with the images buffered.
 */
final class ScorerProcessor implements Processor<ImageKey, Image, Object, Object> {

    private static final Logger LOG = LoggerFactory.getLogger(ScorerProcessor.class);
    /** How much later than the recent best an image may arrive before the scorer counts as behind. */
    private static final long BEHIND_TOLERANCE_MS = 2_000;

    private final ScoringEngine engine;
    private final ScorerSettings settings;
    private final PipelineMetrics metrics;
    private final Serializer<ImageKey> keySerializer;
    private final Serializer<Image> imageSerializer;
    private final Map<ImageKey, RgbImage> decoded = new HashMap<>();
    private ProcessorContext<Object, Object> context;
    private KeyValueStore<ImageKey, PendingImage> buffer;
    private KeyValueStore<ImageKey, PendingImage> awaitingRefinement;
    private KeyValueStore<ImageKey, PendingImage> rescoreImages;
    private KeyValueStore<ImageKey, RescoreState> rescoreStates;
    private final RescoreQueue rescoreQueue;
    private final ArrivalLag arrivalLag = new ArrivalLag();
    /** Held-out quality of the checkpoint versions seen in use, by class set and version. */
    private final Map<String, Map<Long, Double>> heldOutByVersion = new HashMap<>();

    private int buffered;

    /** Where a scored batch came from. */
    private enum Source {
        /** Newly arrived images. */
        LIVE,
        /** Images scored before their class set had a checkpoint. */
        BACKFILL,
        /** Images made with an older checkpoint than a clearly better one now in use. */
        RESCORE
    }

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
        this.rescoreQueue = new RescoreQueue(settings.rescore());
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
        this.rescoreImages = context.getStateStore(ScorerTopology.RESCORE_IMAGES_STORE);
        this.rescoreStates = context.getStateStore(ScorerTopology.RESCORE_STATE_STORE);
        List<Map.Entry<ImageKey, RescoreState>> kept = new ArrayList<>();
        try (KeyValueIterator<ImageKey, RescoreState> all = rescoreStates.all()) {
            all.forEachRemaining(entry -> kept.add(Map.entry(entry.key, entry.value)));
        }
        rescoreQueue.restore(kept);
        if (settings.rescore().enabled() && engine.refinesLater()) {
            context.schedule(settings.backfillInterval(), PunctuationType.WALL_CLOCK_TIME, this::rescore);
        }
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
        arrivalLag.observe(context.currentSystemTimeMs(), record.timestamp());
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
            scoreAndForward(batch, Source.LIVE);
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
            scoreAndForward(batch, Source.BACKFILL);
        }
    }

    /**
     * Re-scores, within the time budget, images whose scores an older checkpoint made when a clearly
     * better one is in use; package-private for tests.
     */
    void rescore(long wallClockMs) {
        // new images first: no re-scoring while the images being taken arrived late
        long tolerance = settings.maxWait().toMillis() + BEHIND_TOLERANCE_MS;
        if (arrivalLag.behind(wallClockMs, tolerance)) {
            rescoreQueue.hold(wallClockMs);
            return;
        }
        while (rescoreQueue.mayRun(wallClockMs)) {
            List<ImageKey> due = rescoreQueue.due(engine::checkpoint, settings.batchSize());
            if (due.isEmpty()) {
                return;
            }
            List<Prepared> batch = new ArrayList<>();
            for (ImageKey key : due) {
                PendingImage pending = rescoreImages.get(key);
                if (pending == null) {
                    dropRescore(key, "NOT_KEPT");
                    continue;
                }
                try {
                    batch.add(new Prepared(key, pending, engine.prepare(key, pending.getImage())));
                } catch (PoisonRecordException e) {
                    LOG.info("Image {} is not re-scored: {}", key.getImageId(), e.getMessage());
                    dropRescore(key, e.reason());
                }
            }
            long started = System.nanoTime();
            if (!batch.isEmpty()) {
                scoreAndForward(batch, Source.RESCORE);
            }
            rescoreQueue.spent(System.nanoTime() - started);
        }
    }

    private void dropRescore(ImageKey key, String reason) {
        rescoreQueue.remove(key);
        rescoreImages.delete(key);
        rescoreStates.delete(key);
        metrics.rescoreDropped(reason);
    }

    /** Keeps {@code image} for re-scoring, recording the checkpoint that made {@code scores}. */
    private void keepForRescore(Prepared image, Scores scores) {
        Long version = scores.getCheckpointVersion();
        if (!settings.rescore().enabled() || version == null) {
            return;
        }
        RescoreState state = new RescoreState(
                version,
                heldOutMap(scores.getClassSetId(), version),
                image.pending().getTimestamp(),
                RescoreQueue.uncertainty(scores.getGlobal()));
        if (!rescoreQueue.contains(image.key())) {
            rescoreImages.put(image.key(), image.pending());
        }
        rescoreStates.put(image.key(), state);
        for (ImageKey evicted : rescoreQueue.put(image.key(), state)) {
            rescoreImages.delete(evicted);
            rescoreStates.delete(evicted);
        }
    }

    /** The held-out quality of checkpoint {@code version} of the class set, if it was seen in use. */
    private Double heldOutMap(String classSetId, long version) {
        Map<Long, Double> known = heldOutByVersion.computeIfAbsent(classSetId, id -> new HashMap<>());
        engine.checkpoint(classSetId).ifPresent(current -> {
            if (current.getMetrics().getHeldOutMap() != null) {
                known.put(current.getVersion(), current.getMetrics().getHeldOutMap());
            }
            // only versions that may still make scores are kept
            known.keySet().removeIf(v -> v < current.getVersion() - 1);
        });
        return known.get(version);
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

    private void scoreAndForward(List<Prepared> batch, Source source) {
        long started = System.nanoTime();
        List<Scores> results = scoreOrSplit(batch, source != Source.RESCORE);
        metrics.batchScored(batch.size(), System.nanoTime() - started);
        for (int i = 0; i < batch.size(); i++) {
            Prepared image = batch.get(i);
            Scores scores = results.get(i);
            if (scores != null) {
                scores.setRescore(source != Source.LIVE);
                if (source == Source.RESCORE) {
                    scores.setRescoredFrom(rescoreQueue.checkpointVersion(image.key()));
                    metrics.imageRescored(scores);
                } else {
                    metrics.imageScored(scores);
                }
                context.forward(
                        new Record<>(
                                image.key(),
                                scores,
                                image.pending().getTimestamp().toEpochMilli()),
                        ScorerTopology.SCORES_SINK);
                if (scores.getLocal() == null && engine.refinesLater()) {
                    awaitingRefinement.put(image.key(), image.pending());
                } else if (source == Source.LIVE) {
                    awaitingRefinement.delete(image.key());
                }
                if (source == Source.RESCORE && scores.getCheckpointVersion() == null) {
                    dropRescore(image.key(), "NO_CHECKPOINT");
                } else {
                    keepForRescore(image, scores);
                }
            } else if (source == Source.RESCORE) {
                dropRescore(image.key(), "MODEL_FAILURE");
            }
            if (source == Source.LIVE) {
                buffer.delete(image.key());
                decoded.remove(image.key());
            } else if (source == Source.BACKFILL) {
                awaitingRefinement.delete(image.key());
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
    private List<Scores> scoreOrSplit(List<Prepared> batch, boolean deadLetterFailures) {
        try {
            return engine.score(batch);
        } catch (RuntimeException batchFailure) {
            checkModel(batch, batchFailure);
            if (batch.size() == 1) {
                if (deadLetterFailures) {
                    deadLetter(batch.get(0).key(), batch.get(0).pending(), "MODEL_FAILURE", batchFailure);
                }
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
                if (failures.get(i) != null && deadLetterFailures) {
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
