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
import java.time.Duration;
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
 * fails there, with its own coordinates), then buffered in a changelogged store. The model runs on
 * the task's {@link ModelLane}, not on the stream thread: a batch is handed to the lane when the
 * images waiting reach the size {@link BatchSizer} chooses (from the backlog, at once) or when the
 * oldest has waited {@code maxWait}; while the model works the stream thread goes on polling,
 * decoding the next images and committing. A finished batch is picked up by the stream thread (on
 * the next image or the next tick), each result forwarded and its image removed from the buffer in
 * the transaction open then. Under exactly-once the buffer's changelog, the consumed offsets and the
 * outputs commit together, so a crash loses no image and scores none twice: the restored buffer holds
 * exactly the images whose results were not committed, and a batch the model was working on when the
 * service died is scored again from there. The stream thread never waits for the model longer than
 * {@link BatchingSettings#maxBlock()} at a time (when twice the batch size is waiting), so a
 * transaction stays short whatever a model call costs.
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
    private final ModelLane.Factory lanes;
    private ModelLane lane;
    private BatchSizer sizer;
    /** Batches handed to the lane, oldest first; their results are applied in that order. */
    private final java.util.ArrayDeque<Job> jobs = new java.util.ArrayDeque<>();
    /** Buffered images in a LIVE batch handed to the lane. */
    private final java.util.Set<ImageKey> inFlight = new java.util.HashSet<>();
    /** Wall-clock time the oldest buffered image not yet handed to the lane started waiting; -1 for none. */
    private long waitingSince = -1;

    private long busyReported;

    /** Most batches handed to the lane and not yet applied: one running, one ready to start. */
    private static final int MAX_JOBS = 2;

    /** A batch handed to the lane. */
    private record Job(Source source, List<Prepared> batch, java.util.concurrent.CompletableFuture<Outcome> outcome) {}

    /**
     * What the model made of a batch: a result per image (null where the image failed alone, with its
     * failure), or the failure that shows the model itself broken.
     */
    private record Outcome(List<Scores> results, List<RuntimeException> failures, long nanos) {}

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
        this(engine, settings, keySerializer, imageSerializer, metrics, ModelLane.inline());
    }

    ScorerProcessor(
            ScoringEngine engine,
            ScorerSettings settings,
            Serializer<ImageKey> keySerializer,
            Serializer<Image> imageSerializer,
            PipelineMetrics metrics,
            ModelLane.Factory lanes) {
        this.lanes = lanes;
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
        jobs.clear();
        inFlight.clear();
        buffered = 0;
        try (KeyValueIterator<ImageKey, PendingImage> all = buffer.all()) {
            all.forEachRemaining(entry -> buffered++);
        }
        waitingSince = buffered > 0 ? context.currentSystemTimeMs() : -1;
        BatchingSettings batching = settings.batching();
        sizer = new BatchSizer(
                Math.min(batching.minBatchSize(), settings.batchSize()),
                settings.batchSize(),
                batching.maxCallTime().toNanos());
        lane = lanes.create(context.taskId().toString());
        busyReported = 0;
        context.schedule(tick(), PunctuationType.WALL_CLOCK_TIME, this::pump);
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
        if (waitingSince < 0) {
            waitingSince = context.currentSystemTimeMs();
        }
        pump(context.currentSystemTimeMs());
        // back-pressure: with twice a batch waiting, wait a bounded time for the model; with four times,
        // for the batch it is on, however long that takes (one call: within the call budget, or one image)
        long deadline = System.nanoTime() + settings.batching().maxBlock().toNanos();
        while (waiting() >= 2 * settings.batchSize() && !jobs.isEmpty()) {
            boolean full = waiting() >= 4 * settings.batchSize();
            long now = System.nanoTime();
            if (!full && now >= deadline) {
                break;
            }
            awaitHead(full ? HARD_WAIT.toNanos() : deadline - now);
            pump(context.currentSystemTimeMs());
        }
    }

    /** The longest the stream thread waits for one model call when four batches are waiting. */
    private static final Duration HARD_WAIT = Duration.ofMinutes(10);

    /** The period of the tick that picks up finished batches and hands due ones to the lane. */
    private Duration tick() {
        return Duration.ofMillis(Math.max(5, Math.min(50, settings.maxWait().toMillis() / 4)));
    }

    /** Buffered images not yet handed to the lane. */
    private int waiting() {
        return Math.max(0, buffered - inFlight.size());
    }

    /**
     * Applies the batches the model has finished, then hands the lane what is due: full batches from
     * the images waiting, a partial one once the oldest has waited {@code maxWait}, and, when no new
     * image waits and the lane is idle, a batch of backfill or re-scoring.
     */
    private void pump(long wallClockMs) {
        pump(wallClockMs, false);
    }

    private void pump(long wallClockMs, boolean now) {
        applyFinished();
        while (jobs.size() < MAX_JOBS && waiting() > 0) {
            int size = sizer.next();
            boolean full = waiting() >= size;
            boolean aged = now
                    || waitingSince >= 0
                            && wallClockMs - waitingSince >= settings.maxWait().toMillis();
            if (!full && !aged) {
                break;
            }
            List<Prepared> batch = take(buffer, size, false);
            if (batch.isEmpty()) {
                // every waiting image was unreadable and dead-lettered, or the count was stale
                buffered = inFlight.size();
                break;
            }
            batch.forEach(p -> inFlight.add(p.key()));
            submit(batch, Source.LIVE);
            waitingSince = waiting() > 0 ? wallClockMs : -1;
        }
        if (jobs.isEmpty()
                && waiting() == 0
                && rescoreQueue.size() > 0
                && settings.rescore().enabled()
                && engine.refinesLater()) {
            rescore(wallClockMs);
        }
        applyFinished();
        reportBusy();
    }

    private void submit(List<Prepared> batch, Source source) {
        jobs.addLast(new Job(source, batch, lane.submit(() -> score(batch))));
    }

    /** Applies the finished batches at the head of the queue, in order. */
    private void applyFinished() {
        while (!jobs.isEmpty() && jobs.peekFirst().outcome().isDone()) {
            apply(jobs.pollFirst());
        }
    }

    /** Waits, {@code timeoutNanos} at most, for the oldest batch handed to the lane. */
    private void awaitHead(long timeoutNanos) {
        Job head = jobs.peekFirst();
        if (head == null) {
            return;
        }
        try {
            head.outcome().get(Math.max(0, timeoutNanos), java.util.concurrent.TimeUnit.NANOSECONDS);
        } catch (java.util.concurrent.TimeoutException e) {
            // the model is still at it: the stream thread goes on, and waits again on the next image
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while waiting for the model", e);
        } catch (java.util.concurrent.ExecutionException e) {
            // applied (and rethrown) by applyFinished
        }
    }

    /** Hands every buffered image to the lane and applies every result; package-private for tests. */
    void flush() {
        while (waiting() > 0 || !jobs.isEmpty()) {
            int waitingBefore = waiting();
            pump(context.currentSystemTimeMs(), true);
            if (!jobs.isEmpty()) {
                awaitHead(Duration.ofHours(1).toNanos());
                applyFinished();
            } else if (waiting() >= waitingBefore) {
                return;
            }
        }
    }

    /** Refines one batch of images scored before their class set had a checkpoint; package-private for tests. */
    void backfill() {
        applyFinished();
        if (!jobs.isEmpty() || waiting() > 0) {
            return;
        }
        List<Prepared> batch = take(awaitingRefinement, settings.batchSize(), true);
        if (!batch.isEmpty()) {
            LOG.info("Backfilling {} images with their CAM-crop refinement", batch.size());
            submit(batch, Source.BACKFILL);
            applyFinished();
        }
    }

    /** Counts the lane's busy time into the model-busy metric. */
    private void reportBusy() {
        long busy = lane.busyNanos();
        if (busy > busyReported) {
            metrics.modelBusy(busy - busyReported);
            busyReported = busy;
        }
    }

    @Override
    public void close() {
        // results not applied are not committed: the restored buffer scores those images again
        jobs.forEach(job -> job.outcome().cancel(false));
        jobs.clear();
        inFlight.clear();
        if (lane != null) {
            lane.close(ScorerTuning.CLOSE_WAIT_MS);
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
        applyFinished();
        if (!jobs.isEmpty() || waiting() > 0) {
            return;
        }
        if (rescoreQueue.mayRun(wallClockMs)) {
            List<ImageKey> due = rescoreQueue.due(engine::checkpoint, sizer.next());
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
            if (!batch.isEmpty()) {
                submit(batch, Source.RESCORE);
                applyFinished();
            }
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
                if (refinableOnly && !engine.canRefine(entry.key.getClassSetId()) || inFlight.contains(entry.key)) {
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
        if (store == buffer) {
            buffered = Math.max(inFlight.size(), buffered - unreadable.size());
        }
        return batch;
    }

    /** Forwards a finished batch's results and updates the stores, on the stream thread. */
    private void apply(Job job) {
        Outcome outcome;
        try {
            outcome = job.outcome().join();
        } catch (java.util.concurrent.CompletionException e) {
            // the model is broken, not the images: stop with the images still buffered
            throw e.getCause() instanceof RuntimeException runtime
                    ? runtime
                    : new IllegalStateException("the model failed", e.getCause());
        }
        List<Prepared> batch = job.batch();
        Source source = job.source();
        metrics.batchScored(batch.size(), outcome.nanos());
        sizer.observe(batch.size(), outcome.nanos());
        if (source == Source.RESCORE) {
            rescoreQueue.spent(outcome.nanos());
        }
        for (int i = 0; i < batch.size(); i++) {
            Prepared image = batch.get(i);
            Scores scores = outcome.results().get(i);
            RuntimeException failure = outcome.failures().get(i);
            if (failure != null && source != Source.RESCORE) {
                deadLetter(image.key(), image.pending(), "MODEL_FAILURE", failure);
            }
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
                inFlight.remove(image.key());
                buffered = Math.max(0, buffered - 1);
            } else if (source == Source.BACKFILL) {
                awaitingRefinement.delete(image.key());
            }
        }
    }

    /**
     * Scores the batch, on the lane. A failure is attributed to an image only when the model is shown
     * to work: it scores a control image of each class set of the batch, and (in a batch of several)
     * the image fails alone while another succeeds. Such an image gets a null result and its failure
     * (dead-lettered with reason {@code MODEL_FAILURE} when the batch is applied). A failure that
     * cannot be attributed (the control image fails too, or every image of the batch fails alone) is
     * the model's or the engine's, not the records': the batch fails, which stops the service with the
     * images still buffered, rather than emptying the stream into the dead-letter topic.
     */
    private Outcome score(List<Prepared> batch) {
        long started = System.nanoTime();
        List<RuntimeException> none = java.util.Collections.nCopies(batch.size(), null);
        try {
            return new Outcome(engine.score(batch), none, System.nanoTime() - started);
        } catch (RuntimeException batchFailure) {
            checkModel(batch, batchFailure);
            if (batch.size() == 1) {
                return new Outcome(
                        java.util.Collections.singletonList(null), List.of(batchFailure), System.nanoTime() - started);
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
            return new Outcome(results, failures, System.nanoTime() - started);
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
