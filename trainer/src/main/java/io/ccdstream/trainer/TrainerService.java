package io.ccdstream.trainer;

import io.ccdstream.topics.RegistrySerdes;
import io.micrometer.core.instrument.MeterRegistry;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The CCD trainer (DESIGN.md, ALGORITHM.md sections 3 and 5) for one class set: reads labels and
 * image pixels into a bounded local training set, warms the classifier up on the initial labels,
 * retrains it on the CAM-refined labels with the consistency loss and label-free early stopping,
 * then fine-tunes it as new labels arrive; every kept result is stored under a new version with its
 * SHA-256 and announced on the checkpoints topic, and the store is served over HTTP so that scorers on
 * other hosts can fetch it.
 *
 * <pre>{@code
 * TrainerConfig config = TrainerConfig.forClassSet(classSet, Map.of(
 *     TrainerConfig.BOOTSTRAP_SERVERS, "localhost:9092",
 *     TrainerConfig.SCHEMA_REGISTRY_URL, "http://localhost:8081",
 *     TrainerConfig.DATA_DIR, "ccd-data/trainer"));
 * try (TrainerService trainer = TrainerService.start(config)) {
 *     while (trainer.isAlive()) {
 *         System.out.println(trainer.status().summary());
 *         Thread.sleep(5_000);
 *     }
 * }
 * }</pre>
 *
 * <p>Crash safety: the training set is flushed before the input offsets are committed; a checkpoint
 * is written to a temporary file, forced to disk and renamed before it is announced; at start the
 * store is reconciled with the checkpoints topic (a stored but unannounced checkpoint is announced
 * as it is; the next version is above everything stored or announced), and training resumes from the
 * latest checkpoint. A round interrupted by a crash is run again from its starting checkpoint.
 */
public final class TrainerService implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(TrainerService.class);
    private static final Duration STOP_TIMEOUT = Duration.ofSeconds(60);

    private final List<AutoCloseable> resources;
    private final TrainerProgress progress;
    private final CheckpointServer server;
    private final TrainerLoop loop;
    private final Thread thread;

    private TrainerService(
            List<AutoCloseable> resources, TrainerProgress progress, CheckpointServer server, TrainerLoop loop) {
        this.resources = resources;
        this.progress = progress;
        this.server = server;
        this.loop = loop;
        this.thread = new Thread(loop, "ccd-trainer");
    }

    /**
     * Opens the data directory, starts the checkpoint endpoint, reconciles the checkpoint store with
     * the checkpoints topic, and starts training in the background.
     *
     * @throws IOException if the data directory is in use or unreadable, or the endpoint cannot bind
     * @throws org.apache.kafka.common.KafkaException if the cluster cannot be reached in time, or
     *     another trainer of the class set is publishing
     */
    public static TrainerService start(TrainerConfig config) throws IOException {
        return start(config, null);
    }

    /**
     * Starts as {@link #start(TrainerConfig)}, with the trainer's gauges and dead-letter counter
     * ({@link TrainerMetrics}) in {@code metrics}, the registry of the process (null: none).
     */
    public static TrainerService start(TrainerConfig config, MeterRegistry metrics) throws IOException {
        List<AutoCloseable> resources = new ArrayList<>();
        try {
            return start(config, resources, metrics);
        } catch (IOException | RuntimeException e) {
            closeAll(resources);
            throw e;
        }
    }

    private static TrainerService start(TrainerConfig config, List<AutoCloseable> resources, MeterRegistry metrics)
            throws IOException {
        Path dataDir = config.dataDir();
        resources.add(DirectoryLock.acquire(dataDir));
        CheckpointStore store =
                CheckpointStore.open(dataDir.resolve("checkpoints").resolve(config.classSetId()), config.classSetId());
        TrainingSet trainingSet = TrainingSet.open(
                dataDir.resolve("training-set").resolve(config.classSetId()),
                config.classSetId(),
                config.classNames(),
                config.trainingSetMaxImages(),
                config.getInt(TrainerConfig.HELD_OUT_EVERY),
                config.getInt(TrainerConfig.HELD_OUT_SIZE));
        CheckpointServer server = config.httpEnabled()
                ? CheckpointServer.start(
                        store,
                        config.classSetId(),
                        config.getString(TrainerConfig.HTTP_BIND_ADDRESS),
                        config.getInt(TrainerConfig.HTTP_PORT),
                        config.getString(TrainerConfig.HTTP_ADVERTISED_URL))
                : null;
        if (server != null) {
            resources.add(server);
        }
        Function<StoredCheckpoint, String> locations = TrainerConfig.LOCATION_HTTP.equals(config.checkpointLocation())
                ? stored -> server.url(stored.version())
                : stored -> store.file(stored.version()).toUri().toString();
        RegistrySerdes serdes = new RegistrySerdes(config.serdeSettings());
        // Every subject registered before publishing (skipped with auto.register.schemas=false).
        serdes.registerAll();
        CheckpointPublisher publisher = new CheckpointPublisher(config, serdes);
        resources.add(publisher);
        TrainerMetrics meters = metrics == null ? null : new TrainerMetrics(metrics);
        TrainingInput input =
                new TrainingInput(config, serdes, trainingSet, meters == null ? reason -> {} : meters::deadLetter);
        TrainerProgress progress = new TrainerProgress(trainingSet::size, trainingSet::trainableCount, input::skipped);
        if (meters != null) {
            meters.bindStatus(config.classSetId(), progress::status);
        }
        TrainerLoop.Reconciled reconciled;
        try {
            reconciled = TrainerLoop.reconcile(store, publisher, config.classSetId(), locations, progress);
        } catch (IOException | RuntimeException e) {
            input.close();
            throw e;
        }
        TrainerService service = new TrainerService(
                resources,
                progress,
                server,
                new TrainerLoop(config, input, trainingSet, store, publisher, locations, progress, reconciled));
        service.thread.start();
        LOG.info(
                "Trainer of class set {} started ({} classes, data in {})",
                config.classSetId(),
                config.classNames().size(),
                dataDir.toAbsolutePath());
        return service;
    }

    /** What the trainer is doing now. */
    public TrainerStatus status() {
        return progress.status();
    }

    /** The advertised base URL of the checkpoint endpoint, if it runs. */
    public Optional<URI> checkpointBaseUrl() {
        return Optional.ofNullable(server).map(CheckpointServer::baseUrl);
    }

    /** Whether the training thread still runs. */
    public boolean isAlive() {
        return thread.isAlive();
    }

    /** The error that stopped the trainer, if any. */
    public Optional<Throwable> failure() {
        return Optional.ofNullable(loop.failure());
    }

    /**
     * Stops training (a round in progress is abandoned, not published), commits what was read, and
     * releases the data directory.
     */
    @Override
    public void close() {
        loop.stop();
        try {
            thread.join(STOP_TIMEOUT.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        if (thread.isAlive()) {
            LOG.warn("The trainer thread did not stop within {}", STOP_TIMEOUT);
        }
        closeAll(resources);
    }

    /** Closes in the reverse order of opening, so that the data directory lock goes last. */
    private static void closeAll(List<AutoCloseable> resources) {
        for (int i = resources.size() - 1; i >= 0; i--) {
            AutoCloseable resource = resources.get(i);
            try {
                resource.close();
            } catch (Exception e) {
                LOG.warn("Closing {} failed: {}", resource.getClass().getSimpleName(), e.toString());
            }
        }
    }
}
