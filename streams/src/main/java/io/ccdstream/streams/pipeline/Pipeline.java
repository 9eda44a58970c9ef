package io.ccdstream.streams.pipeline;

import io.ccdstream.method.ccd.Debias;
import io.ccdstream.method.ccd.Mix;
import io.ccdstream.method.image.ImageDecoder;
import io.ccdstream.models.clip.ClipModel;
import io.ccdstream.models.clip.ClipModelException;
import io.ccdstream.models.scoring.CcdImageScorer;
import io.ccdstream.streams.CcdStreamsConfig;
import io.ccdstream.streams.StreamsRunner;
import io.ccdstream.streams.bias.BiasTopology;
import io.ccdstream.streams.labeler.ClassNames;
import io.ccdstream.streams.labeler.LabelMaker;
import io.ccdstream.streams.labeler.LabelerTopology;
import io.ccdstream.streams.scorer.CcdScoringEngine;
import io.ccdstream.streams.scorer.CheckpointFetcher;
import io.ccdstream.streams.scorer.CheckpointFollower;
import io.ccdstream.streams.scorer.CheckpointHolder;
import io.ccdstream.streams.scorer.ScorerTopology;
import io.ccdstream.topics.ClusterAccess;
import io.ccdstream.topics.RegistrySerdes;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import org.apache.kafka.streams.KafkaStreams;

/**
 * Services of the pipeline running in this process, each as its own Kafka Streams application
 * through the shared {@link StreamsRunner}; the scorer also follows the checkpoints topic.
 */
public final class Pipeline implements AutoCloseable {

    /** The services a process can run. */
    public enum Service {
        scorer,
        bias,
        labeler
    }

    private final Map<Service, StreamsRunner> runners = new EnumMap<>(Service.class);
    private final CheckpointHolder checkpoints = new CheckpointHolder();
    private ClipModel model;
    private CheckpointFollower follower;

    private Pipeline() {}

    /** Starts {@code services} and waits until each runs. */
    public static Pipeline start(CcdStreamsConfig config, PipelineSettings settings, List<Service> services)
            throws ClipModelException, InterruptedException {
        Pipeline pipeline = new Pipeline();
        try {
            RegistrySerdes serdes = new RegistrySerdes(config.serdeSettings());
            // Every subject registered before any topology writes (skipped with auto.register.schemas=false).
            serdes.registerAll();
            for (Service service : services) {
                pipeline.runners.put(
                        service,
                        switch (service) {
                            case scorer -> pipeline.startScorer(config, settings, serdes);
                            case bias ->
                                StreamsRunner.start(
                                        BiasTopology.SERVICE,
                                        BiasTopology.build(serdes, settings.bias()),
                                        config.streamsProperties(BiasTopology.SERVICE));
                            case labeler ->
                                StreamsRunner.start(
                                        LabelerTopology.SERVICE,
                                        LabelerTopology.build(serdes, labelMaker(settings), settings.labeler()),
                                        config.streamsProperties(LabelerTopology.SERVICE));
                        });
            }
            pipeline.awaitRunning(Duration.ofSeconds(120));
            return pipeline;
        } catch (RuntimeException | ClipModelException | InterruptedException e) {
            pipeline.close();
            throw e;
        }
    }

    /** The labeler's rules for {@code settings}: its class set, floor, alpha, with or without debiasing. */
    public static LabelMaker labelMaker(PipelineSettings settings) {
        ClassNames names = id -> id.equals(settings.classSet().id())
                ? Optional.of(settings.classSet().classNames())
                : Optional.empty();
        Mix mix = new Mix(settings.alpha());
        return settings.labeler().debias()
                ? new LabelMaker(names, new Debias(settings.floor()), mix)
                : LabelMaker.withoutDebias(names, mix);
    }

    private StreamsRunner startScorer(CcdStreamsConfig config, PipelineSettings settings, RegistrySerdes serdes)
            throws ClipModelException {
        model = ClipModel.load(settings.modelDir());
        follower = new CheckpointFollower(
                config.bootstrapServers(),
                serdes,
                new CheckpointFetcher(
                        Path.of(config.getString(CcdStreamsConfig.STATE_DIR), "checkpoint-cache"),
                        Duration.ofSeconds(60)),
                checkpoints,
                List.of(settings.classSet()),
                config.clientOverrides());
        CcdScoringEngine engine = new CcdScoringEngine(
                new CcdImageScorer(model, settings.refinement()),
                model.descriptor().modelId(),
                List.of(settings.classSet()),
                checkpoints,
                settings.claimChecks(),
                ImageDecoder.builder()
                        .optLimits(settings.imageLimits())
                        .optDecodeBudgetPixels(settings.decodeBudgetPixels())
                        .build(),
                Clock.systemUTC());
        return StreamsRunner.start(
                ScorerTopology.SERVICE,
                ScorerTopology.build(serdes, engine, settings.scorer(), config.deadLetterTopic()),
                config.streamsProperties(ScorerTopology.SERVICE));
    }

    private void awaitRunning(Duration timeout) throws InterruptedException {
        for (StreamsRunner runner : runners.values()) {
            if (!runner.awaitRunning(timeout)) {
                Throwable failure = runner.failure();
                if (failure == null) {
                    throw new IllegalStateException(runner.name() + " did not start within " + timeout);
                }
                ClusterAccess.explain(failure, "start " + runner.name()).ifPresent(denied -> {
                    throw denied;
                });
                throw new IllegalStateException(runner.name() + " failed to start: " + failure.getMessage(), failure);
            }
        }
    }

    /** The classifier checkpoints the scorer of this process uses. */
    public CheckpointHolder checkpoints() {
        return checkpoints;
    }

    /** Refused checkpoints, if the scorer runs here. */
    public List<io.ccdstream.streams.scorer.CheckpointInstaller.Refusal> refusedCheckpoints() {
        return follower == null ? List.of() : follower.refusals();
    }

    /** The Kafka Streams client of {@code service}, if it runs in this process (interactive queries). */
    public Optional<KafkaStreams> streams(Service service) {
        return Optional.ofNullable(runners.get(service)).map(StreamsRunner::streams);
    }

    /** Whether every service still runs. */
    public boolean isAlive() {
        return runners.values().stream().allMatch(StreamsRunner::isAlive);
    }

    /** The first failure of a service, if any. */
    public Optional<Throwable> failure() {
        return runners.values().stream()
                .map(StreamsRunner::failure)
                .filter(Objects::nonNull)
                .findFirst();
    }

    @Override
    public void close() {
        runners.values().forEach(StreamsRunner::close);
        if (follower != null) {
            follower.close();
        }
        checkpoints.close();
        if (model != null) {
            model.close();
        }
    }
}
