package io.ccdstream.trainer;

import io.ccdstream.models.classifier.Classifier;
import io.ccdstream.models.classifier.ClassifierException;
import io.ccdstream.schemas.Checkpoint;
import io.ccdstream.schemas.CheckpointPhase;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.time.Duration;
import java.time.Instant;
import java.util.Locale;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.function.Function;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.errors.ProducerFencedException;
import org.apache.kafka.common.errors.WakeupException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The trainer thread: reads input into the training set, commits it, and runs the round the
 * {@link TrainingSchedule} asks for; each kept result is stored, then announced.
 *
 * <p>Versions: {@code nextVersion} starts above every version stored or published (see
 * {@link TrainerService}) and only grows; a stored file is never replaced, and a version is published
 * only with the file stored under it, so a version never stands for two sets of weights.
 */
final class TrainerLoop implements Runnable {

    private static final Logger LOG = LoggerFactory.getLogger(TrainerLoop.class);
    private static final Duration RETRY_AFTER_FAILED_ROUND = Duration.ofSeconds(30);

    private final TrainerConfig config;
    private final TrainingSchedule schedule;
    private final TrainingInput input;
    private final TrainingSet trainingSet;
    private final CheckpointStore store;
    private final CheckpointPublisher publisher;
    private final Function<StoredCheckpoint, String> locations;
    private final TrainerProgress progress;
    private final RoundRunner runner;
    private volatile boolean stopping;
    private volatile Throwable failure;
    private Optional<TrainingSchedule.Latest> latest;
    private long nextVersion;
    private StoredCheckpoint unpublished;
    private long nextRoundNotBefore;

    TrainerLoop(
            TrainerConfig config,
            TrainingInput input,
            TrainingSet trainingSet,
            CheckpointStore store,
            CheckpointPublisher publisher,
            Function<StoredCheckpoint, String> locations,
            TrainerProgress progress,
            Reconciled reconciled) {
        this.config = config;
        this.schedule = config.schedule();
        this.input = input;
        this.trainingSet = trainingSet;
        this.store = store;
        this.publisher = publisher;
        this.locations = locations;
        this.progress = progress;
        this.runner = new RoundRunner(
                trainingSet,
                config.optimiser(),
                config.trainingTargets(),
                config.labelSmoothing(),
                config.binarisation(),
                progress,
                () -> stopping,
                this::readDuringRound,
                config.heldOutDecides() ? config.heldOutSignal() : null,
                store.candidateFile(),
                (float) config.getDouble(TrainerConfig.CONTINUOUS_LEARNING_RATE_FACTOR)
                        .doubleValue(),
                (float) config.getDouble(TrainerConfig.VERIFIED_WEIGHT).doubleValue());
        this.latest = reconciled.latest();
        this.nextVersion = reconciled.nextVersion();
    }

    /** Where start-up reconciliation left the lineage: the latest checkpoint and the next free version. */
    record Reconciled(Optional<TrainingSchedule.Latest> latest, long nextVersion) {}

    @Override
    public void run() {
        try {
            loop();
            commitOnStop();
        } catch (RoundRunner.Stopped | WakeupException e) {
            LOG.info(
                    "Trainer stopping{}", e instanceof RoundRunner.Stopped ? "; the round in progress is dropped" : "");
            commitOnStop();
        } catch (Exception e) {
            fail(e);
        } catch (Error e) {
            fail(e);
            throw e;
        } finally {
            input.close();
            progress.stopped();
        }
    }

    private void loop() throws IOException {
        long lastCommit = System.nanoTime();
        while (!stopping) {
            retryPublication();
            input.poll(config.pollTimeout());
            if (System.nanoTime() - lastCommit >= config.commitInterval().toNanos()) {
                input.commit();
                lastCommit = System.nanoTime();
            }
            maybeTrain();
        }
    }

    /**
     * Between the steps of a round: reads what has arrived (without waiting), so that labels and
     * images that come while a round runs are in the training set and its status when it ends, not
     * only after the next poll. Offsets are committed by the loop after the round.
     */
    private void readDuringRound() {
        try {
            input.poll(Duration.ZERO);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Commits what was read; a wake-up left pending by {@link #stop()} fails the first attempt only. */
    private void commitOnStop() {
        for (int attempt = 1; attempt <= 2; attempt++) {
            try {
                input.commit();
                return;
            } catch (WakeupException e) {
                // the stop request's wake-up, consumed now
            } catch (IOException | KafkaException e) {
                LOG.warn("Could not commit the input on stop; it will be read again: {}", e.toString());
                return;
            }
        }
    }

    private void fail(Throwable e) {
        failure = e;
        progress.failed(e.toString());
        LOG.error("The trainer failed and stopped", e);
    }

    /** Asks the loop to stop at the next step or poll. */
    void stop() {
        stopping = true;
        input.wakeup();
    }

    /** The error that stopped the loop, if any. */
    Throwable failure() {
        return failure;
    }

    private void maybeTrain() throws IOException {
        Optional<TrainingRound> round = System.nanoTime() < nextRoundNotBefore
                ? Optional.empty()
                : schedule.next(
                        latest,
                        trainingSet.trainable(),
                        trainingSet.heldOutCount(),
                        trainingSet.lastSeq(),
                        trainingSet.trainedThroughSeq(),
                        trainingSet.refineRan(),
                        config.getLong(TrainerConfig.SEED));
        if (round.isEmpty()) {
            progress.waiting(schedule.waitingFor(
                    latest,
                    trainingSet.trainable(),
                    trainingSet.heldOutCount(),
                    trainingSet.trainedThroughSeq(),
                    trainingSet.refineRan()));
            return;
        }
        input.commit();
        try {
            runRound(round.get());
        } catch (ClassifierException | UncheckedIOException e) {
            LOG.error("The {} round failed; retrying in {}", round.get().phase(), RETRY_AFTER_FAILED_ROUND, e);
            nextRoundNotBefore = System.nanoTime() + RETRY_AFTER_FAILED_ROUND.toNanos();
        }
    }

    private void runRound(TrainingRound round) throws IOException, ClassifierException {
        try (Classifier classifier = startingWeights(round)) {
            RoundResult result = runner.run(classifier, round, config.getLong(TrainerConfig.SEED) + nextVersion);
            PublishDecision decision =
                    PublishDecision.of(round, result, config.getDouble(TrainerConfig.CONTINUOUS_MIN_HELD_OUT_GAIN));
            LOG.info(
                    "{} round from v{}: {}; {}",
                    round.phase(),
                    round.baseVersion(),
                    decision.publish() ? "publishing" : "not published",
                    decision.reason());
            if (decision.publish()) {
                StoredCheckpoint stored = keep(classifier, round, result);
                latest = Optional.of(new TrainingSchedule.Latest(stored.version(), stored.phase()));
                unpublished = stored;
                retryPublication();
            }
            if (round.phase() == CheckpointPhase.REFINE) {
                trainingSet.markRefineRan();
            }
            trainingSet.markTrained(round.throughSeq());
            trainingSet.flush();
        }
    }

    private Classifier startingWeights(TrainingRound round) throws IOException, ClassifierException {
        if (round.baseVersion() > 0) {
            Optional<StoredCheckpoint> base = store.get(round.baseVersion());
            if (base.isPresent()) {
                return Classifier.load(
                        store.file(base.get().version()), base.get().sha256(), config.classNames());
            }
            LOG.warn(
                    "Checkpoint v{} is not in the local store {}; the {} round starts from fresh weights",
                    round.baseVersion(),
                    store.directory(),
                    round.phase());
        }
        return Classifier.create(config.classifierConfig());
    }

    private StoredCheckpoint keep(Classifier classifier, TrainingRound round, RoundResult result) throws IOException {
        // the runner saved an earlier epoch's weights to the candidate file when it kept that epoch
        String sha256 = result.keptSha256() != null ? result.keptSha256() : classifier.save(store.candidateFile());
        HeldOutSignal.Result heldOut = result.keptHeldOut();
        boolean measured = heldOut != null && heldOut.present();
        StoredCheckpoint metadata = new StoredCheckpoint(
                config.classSetId(),
                nextVersion,
                round.phase(),
                config.architecture(),
                sha256,
                Files.size(store.candidateFile()),
                Instant.now().toEpochMilli(),
                result.keptTrainMap(),
                result.keptLoss(),
                result.imagesSeen(),
                result.keptEpoch(),
                measured ? heldOut.map() : null,
                heldOut == null ? 0 : heldOut.images(),
                heldOut == null ? 0 : heldOut.classes());
        nextVersion++;
        return store.add(store.candidateFile(), metadata);
    }

    private void retryPublication() {
        if (unpublished == null) {
            return;
        }
        Checkpoint event = unpublished.event(locations.apply(unpublished));
        try {
            publisher.publish(event);
        } catch (ProducerFencedException e) {
            throw e;
        } catch (KafkaException e) {
            LOG.warn("Could not publish checkpoint v{} yet, will retry: {}", event.getVersion(), e.getMessage());
            return;
        }
        unpublished = null;
        progress.published(event);
        LOG.info(
                "Published checkpoint v{} ({}, epoch {}, held-out mAP {}, train-label mAP {}, loss {}) at {}",
                event.getVersion(),
                event.getPhase(),
                event.getMetrics().getEpochs(),
                event.getMetrics().getHeldOutMap() == null
                        ? "none"
                        : String.format(Locale.ROOT, "%.2f", event.getMetrics().getHeldOutMap()),
                String.format(Locale.ROOT, "%.2f", event.getMetrics().getTrainLabelMap()),
                String.format(Locale.ROOT, "%.4f", event.getMetrics().getLoss()),
                event.getLocation());
    }

    /**
     * The latest checkpoint again at its current location, if this run serves it elsewhere (another
     * port or advertised URL): the same version for the same file, so that a scorer that starts later
     * can fetch it. A different SHA-256 means the store is not the publisher's; it is left alone.
     */
    private static Checkpoint reannounceIfMoved(
            StoredCheckpoint stored,
            Checkpoint published,
            CheckpointPublisher publisher,
            Function<StoredCheckpoint, String> locations,
            TrainerProgress progress) {
        if (!stored.sha256().equals(published.getSha256())) {
            LOG.error(
                    "Stored checkpoint v{} has SHA-256 {} but the published v{} has {}; the store is not this"
                            + " trainer's lineage",
                    stored.version(),
                    stored.sha256(),
                    published.getVersion(),
                    published.getSha256());
            return published;
        }
        String location = locations.apply(stored);
        if (location.equals(published.getLocation())) {
            return published;
        }
        LOG.info(
                "Re-announcing checkpoint v{} (same file, SHA-256 {}) at its new location {}",
                stored.version(),
                stored.sha256(),
                location);
        Checkpoint moved = stored.event(location);
        publisher.publish(moved);
        progress.published(moved);
        return moved;
    }

    /**
     * Brings the store and the checkpoints topic into agreement at start: every stored checkpoint
     * above the latest published version is published as it is (a crash came between storing and
     * announcing it); the latest one is re-announced if it is now served at another location; the
     * next version is above everything stored, half-written or published.
     */
    static Reconciled reconcile(
            CheckpointStore store,
            CheckpointPublisher publisher,
            String classSetId,
            Function<StoredCheckpoint, String> locations,
            TrainerProgress progress)
            throws IOException {
        Optional<Checkpoint> published = publisher.latest(classSetId);
        long publishedVersion = published.map(Checkpoint::getVersion).orElse(0L);
        published.ifPresent(progress::published);
        for (StoredCheckpoint stored : store.list()) {
            if (stored.version() > publishedVersion) {
                LOG.info(
                        "Publishing stored checkpoint v{} ({}) that the previous run did not announce",
                        stored.version(),
                        stored.phase());
                Checkpoint event = stored.event(locations.apply(stored));
                publisher.publish(event);
                progress.published(event);
                publishedVersion = stored.version();
                published = Optional.of(event);
            } else if (stored.version() == publishedVersion) {
                published = Optional.of(reannounceIfMoved(stored, published.get(), publisher, locations, progress));
            }
        }
        OptionalLong stored = store.latestVersion();
        Optional<TrainingSchedule.Latest> latest =
                published.map(e -> new TrainingSchedule.Latest(e.getVersion(), e.getPhase()));
        long next = Math.max(store.highestVersionSeen(), publishedVersion) + 1;
        LOG.info(
                "Checkpoints of class set {}: latest published {}, latest stored {}, next version v{}",
                classSetId,
                published
                        .map(e -> "v" + e.getVersion() + " (" + e.getPhase() + ")")
                        .orElse("none"),
                stored.isPresent() ? "v" + stored.getAsLong() : "none",
                next);
        return new Reconciled(latest, next);
    }
}
