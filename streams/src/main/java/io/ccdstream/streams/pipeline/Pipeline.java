package io.ccdstream.streams.pipeline;

import io.ccdstream.method.ccd.Mix;
import io.ccdstream.method.image.ImageDecoder;
import io.ccdstream.models.clip.ClipModel;
import io.ccdstream.models.clip.ClipModelException;
import io.ccdstream.models.scoring.CcdImageScorer;
import io.ccdstream.schemas.Bias;
import io.ccdstream.schemas.Checkpoint;
import io.ccdstream.schemas.ClassSetKey;
import io.ccdstream.streams.CcdStreamsConfig;
import io.ccdstream.streams.StreamsRunner;
import io.ccdstream.streams.alerts.DriftSettings;
import io.ccdstream.streams.alerts.DriftTopology;
import io.ccdstream.streams.bias.BiasTopology;
import io.ccdstream.streams.labeler.ClassNames;
import io.ccdstream.streams.labeler.LabelMaker;
import io.ccdstream.streams.labeler.LabelerTopology;
import io.ccdstream.streams.metrics.PipelineMetrics;
import io.ccdstream.streams.scorer.CcdScoringEngine;
import io.ccdstream.streams.scorer.CheckpointFetcher;
import io.ccdstream.streams.scorer.CheckpointFollower;
import io.ccdstream.streams.scorer.CheckpointHolder;
import io.ccdstream.streams.scorer.ScorerTopology;
import io.ccdstream.streams.scorer.ScorerTuning;
import io.ccdstream.streams.shadow.RolloutMode;
import io.ccdstream.streams.shadow.ShadowFollower;
import io.ccdstream.streams.shadow.ShadowSettings;
import io.ccdstream.streams.shadow.ShadowTopology;
import io.ccdstream.topics.ClusterAccess;
import io.ccdstream.topics.RegistrySerdes;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Tag;
import io.micrometer.core.instrument.binder.jvm.ClassLoaderMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmGcMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmThreadMetrics;
import io.micrometer.core.instrument.binder.kafka.KafkaStreamsMetrics;
import io.micrometer.core.instrument.binder.system.ProcessorMetrics;
import io.micrometer.core.instrument.binder.system.UptimeMetrics;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.function.LongSupplier;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.StoreQueryParameters;
import org.apache.kafka.streams.errors.InvalidStateStoreException;
import org.apache.kafka.streams.state.QueryableStoreTypes;
import org.apache.kafka.streams.state.ValueAndTimestamp;

/**
 * Services of the pipeline running in this process, each as its own Kafka Streams application
 * through the shared {@link StreamsRunner}; the scorer also follows the checkpoints topic.
 *
 * <p>The pipeline creates the process's {@link PrometheusMeterRegistry} ({@link #metrics()}): JVM, process
 * and Kafka Streams metrics, the counters of {@link PipelineMetrics}, and gauges of the current bias
 * ({@value PipelineMetrics#BIAS_VERSION}, {@value PipelineMetrics#BIAS_VALUE}, read from the labeler's
 * store) and of the scorer's checkpoint ({@value PipelineMetrics#CHECKPOINT_VERSION},
 * {@value PipelineMetrics#CHECKPOINTS_REFUSED}) for the services running here.
 */
public final class Pipeline implements AutoCloseable {

    private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(Pipeline.class);

    /** The services a process can run. */
    public enum Service {
        scorer,
        bias,
        labeler,
        /** Judges candidate checkpoints in shadow (rollout mode shadow only). */
        shadow,
        /** Drift alerts. */
        alerts
    }

    private final Map<Service, StreamsRunner> runners = new EnumMap<>(Service.class);
    private final CheckpointHolder checkpoints = new CheckpointHolder();
    private final PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    private final PipelineMetrics metrics = new PipelineMetrics(registry);
    private final List<AutoCloseable> binders = new ArrayList<>();
    private ClipModel model;
    private CheckpointFollower follower;
    private ShadowFollower shadowFollower;
    private ClipModel shadowModel;
    private KafkaConsumer<byte[], byte[]> deadLetterOffsets;
    private ShadowSettings rollout = ShadowSettings.IMMEDIATE;

    private Pipeline() {}

    /**
     * Starts {@code services} and waits until each runs; checkpoints are served as announced
     * (rollout mode immediate, no shadow service) and drift alerts use their defaults.
     */
    public static Pipeline start(CcdStreamsConfig config, PipelineSettings settings, List<Service> services)
            throws ClipModelException, InterruptedException {
        return start(config, settings, services, ShadowSettings.IMMEDIATE, DriftSettings.DEFAULTS);
    }

    /**
     * Starts {@code services} and waits until each runs, with this rollout (under mode immediate the
     * shadow service is not started: it would have nothing to judge) and these drift rules.
     */
    public static Pipeline start(
            CcdStreamsConfig config,
            PipelineSettings settings,
            List<Service> services,
            ShadowSettings rollout,
            DriftSettings drift)
            throws ClipModelException, InterruptedException {
        Pipeline pipeline = new Pipeline();
        pipeline.rollout = rollout;
        try {
            RegistrySerdes serdes = new RegistrySerdes(config.serdeSettings());
            // Every subject registered before any topology writes (skipped with auto.register.schemas=false).
            serdes.registerAll();
            for (Service service : services) {
                if (service == Service.shadow && rollout.mode() == RolloutMode.immediate) {
                    continue;
                }
                pipeline.runners.put(
                        service,
                        switch (service) {
                            case scorer -> pipeline.startScorer(config, settings, serdes);
                            case bias ->
                                StreamsRunner.start(
                                        BiasTopology.SERVICE,
                                        BiasTopology.build(serdes, settings.bias()),
                                        pipeline.streamsProperties(config, BiasTopology.SERVICE));
                            case labeler ->
                                StreamsRunner.start(
                                        LabelerTopology.SERVICE,
                                        LabelerTopology.build(
                                                serdes, labelMaker(settings), settings.labeler(), pipeline.metrics),
                                        pipeline.streamsProperties(config, LabelerTopology.SERVICE));
                            case shadow -> pipeline.startShadow(config, settings, serdes);
                            case alerts ->
                                StreamsRunner.start(
                                        DriftTopology.SERVICE,
                                        DriftTopology.build(
                                                serdes, drift, pipeline.deadLetterCount(config), pipeline.registry),
                                        pipeline.streamsProperties(config, DriftTopology.SERVICE));
                        });
            }
            pipeline.awaitRunning(Duration.ofSeconds(120));
            pipeline.bindMetrics(settings);
            return pipeline;
        } catch (RuntimeException | ClipModelException | InterruptedException e) {
            pipeline.close();
            throw e;
        }
    }

    /** The labeler's rules for {@code settings}: its class set, floor and floor mode, alpha, with or without debiasing. */
    public static LabelMaker labelMaker(PipelineSettings settings) {
        ClassNames names = id -> id.equals(settings.classSet().id())
                ? Optional.of(settings.classSet().classNames())
                : Optional.empty();
        Mix mix = new Mix(settings.alpha());
        LabelMaker maker = settings.labeler().debias()
                ? new LabelMaker(names, settings.debias(), mix)
                : LabelMaker.withoutDebias(names, mix);
        return maker.withNoneThreshold(settings.labeler().noneThreshold());
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
                config.clientOverrides(),
                rollout.mode() == RolloutMode.shadow);
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
        Map<String, Object> properties = streamsProperties(config, ScorerTopology.SERVICE);
        ScorerTuning tuning = ScorerTuning.of(
                imageCost(engine, settings.classSet().id()),
                settings.classSet().classNames().size(),
                settings.scorer(),
                config.getLong(CcdStreamsConfig.COMMIT_INTERVAL_MS));
        Map<String, Object> overrides = config.clientOverrides();
        tuning.streamsProperties().forEach((key, value) -> {
            String plain = key.substring(key.indexOf('.') + 1);
            if (!overrides.containsKey(key) && !overrides.containsKey(plain)) {
                properties.put(key, value);
            }
        });
        LOG.info(
                "Scorer: one image's CLIP call takes {} ms; transaction.timeout.ms={}, max.poll.interval.ms={},"
                        + " max.poll.records={} (unless overridden)",
                String.format(java.util.Locale.ROOT, "%.1f", tuning.imageNanos() / 1e6),
                tuning.transactionTimeoutMs(),
                tuning.maxPollIntervalMs(),
                tuning.maxPollRecords());
        return StreamsRunner.start(
                ScorerTopology.SERVICE,
                ScorerTopology.build(serdes, engine, settings.scorer(), config.deadLetterTopic(), metrics),
                properties);
    }

    /** What one image's global CLIP call costs: the best of three control images after a warm-up. */
    private static long imageCost(CcdScoringEngine engine, String classSetId) {
        engine.checkModel(classSetId);
        long best = Long.MAX_VALUE;
        for (int i = 0; i < 3; i++) {
            long started = System.nanoTime();
            engine.checkModel(classSetId);
            best = Math.min(best, System.nanoTime() - started);
        }
        return best;
    }

    private StreamsRunner startShadow(CcdStreamsConfig config, PipelineSettings settings, RegistrySerdes serdes)
            throws ClipModelException {
        ClipModel clip = model;
        if (clip == null) {
            shadowModel = ClipModel.load(settings.modelDir());
            clip = shadowModel;
        }
        shadowFollower = new ShadowFollower(
                config.bootstrapServers(),
                serdes,
                new CheckpointFetcher(
                        Path.of(config.getString(CcdStreamsConfig.STATE_DIR), "shadow-checkpoint-cache"),
                        Duration.ofSeconds(60)),
                List.of(settings.classSet()),
                config.clientOverrides());
        // one scorer per checkpoint: the class selection calibrates over the images each one scored
        CcdImageScorer candidateScorer = new CcdImageScorer(clip, settings.refinement());
        CcdImageScorer currentScorer = new CcdImageScorer(clip, settings.refinement());
        ImageDecoder decoder = ImageDecoder.builder()
                .optLimits(settings.imageLimits())
                .optDecodeBudgetPixels(settings.decodeBudgetPixels())
                .build();
        CcdScoringEngine candidate = new CcdScoringEngine(
                candidateScorer,
                clip.descriptor().modelId(),
                List.of(settings.classSet()),
                shadowFollower.candidates(),
                settings.claimChecks(),
                decoder,
                Clock.systemUTC());
        CcdScoringEngine current = new CcdScoringEngine(
                currentScorer,
                clip.descriptor().modelId(),
                List.of(settings.classSet()),
                shadowFollower.current(),
                settings.claimChecks(),
                decoder,
                Clock.systemUTC());
        return StreamsRunner.start(
                ShadowTopology.SERVICE,
                ShadowTopology.build(serdes, rollout, shadowFollower, candidate, current, Clock.systemUTC(), registry),
                streamsProperties(config, ShadowTopology.SERVICE));
    }

    /** Dead letters written so far: the sum of the dead-letter topic's end offsets. */
    private LongSupplier deadLetterCount(CcdStreamsConfig config) {
        Map<String, Object> props = new HashMap<>();
        props.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, config.bootstrapServers());
        props.putAll(config.clientOverrides());
        props.remove(ConsumerConfig.GROUP_ID_CONFIG);
        KafkaConsumer<byte[], byte[]> consumer =
                new KafkaConsumer<>(props, new ByteArrayDeserializer(), new ByteArrayDeserializer());
        deadLetterOffsets = consumer;
        String topic = config.deadLetterTopic();
        return () -> {
            synchronized (consumer) {
                try {
                    List<TopicPartition> partitions = consumer.partitionsFor(topic, Duration.ofSeconds(10)).stream()
                            .map(p -> new TopicPartition(p.topic(), p.partition()))
                            .toList();
                    return consumer.endOffsets(partitions, Duration.ofSeconds(10)).values().stream()
                            .mapToLong(Long::longValue)
                            .sum();
                } catch (RuntimeException e) {
                    return 0L;
                }
            }
        };
    }

    /** The service's streams properties, with the metrics its dead-letter handler counts into. */
    private Map<String, Object> streamsProperties(CcdStreamsConfig config, String service) {
        Map<String, Object> properties = new HashMap<>(config.streamsProperties(service));
        properties.put(PipelineMetrics.CONFIG, metrics);
        properties.put(PipelineMetrics.SERVICE_CONFIG, service);
        return properties;
    }

    private void bindMetrics(PipelineSettings settings) {
        new ClassLoaderMetrics().bindTo(registry);
        new JvmMemoryMetrics().bindTo(registry);
        JvmGcMetrics gc = new JvmGcMetrics();
        gc.bindTo(registry);
        binders.add(gc);
        new JvmThreadMetrics().bindTo(registry);
        new ProcessorMetrics().bindTo(registry);
        new UptimeMetrics().bindTo(registry);
        runners.forEach((service, runner) -> {
            KafkaStreamsMetrics streams =
                    new KafkaStreamsMetrics(runner.streams(), List.of(Tag.of("service", service.name())));
            streams.bindTo(registry);
            binders.add(streams);
        });
        String classSet = settings.classSet().id();
        StreamsRunner labeler = runners.get(Service.labeler);
        if (labeler != null) {
            KafkaStreams streams = labeler.streams();
            Gauge.builder(
                            PipelineMetrics.BIAS_VERSION,
                            () -> currentBias(streams, classSet)
                                    .map(bias -> (Number) bias.getVersion())
                                    .orElse(Double.NaN))
                    .description("Version of the bias the labeler uses, by class set")
                    .tag("class_set", classSet)
                    .register(registry);
            List<String> classes = settings.classSet().classNames();
            for (int c = 0; c < classes.size(); c++) {
                int index = c;
                Gauge.builder(
                                PipelineMetrics.BIAS_VALUE,
                                () -> currentBias(streams, classSet)
                                        .filter(bias -> bias.getBias().size() > index)
                                        .map(bias -> (Number) bias.getBias().get(index))
                                        .orElse(Double.NaN))
                        .description("Current bias of a class, by class set and class")
                        .tag("class_set", classSet)
                        .tag("class", classes.get(c))
                        .register(registry);
            }
        }
        if (follower != null) {
            Gauge.builder(
                            PipelineMetrics.CHECKPOINT_VERSION,
                            () -> checkpoints
                                    .current(classSet)
                                    .map(Checkpoint::getVersion)
                                    .orElse(0L))
                    .description("Version of the classifier checkpoint the scorer uses (0: none yet), by class set")
                    .tag("class_set", classSet)
                    .register(registry);
            CheckpointFollower refusing = follower;
            FunctionCounter.builder(
                            PipelineMetrics.CHECKPOINTS_REFUSED,
                            refusing,
                            f -> f.refusals().stream()
                                    .filter(refusal ->
                                            refusal.checkpoint().getClassSetId().equals(classSet))
                                    .count())
                    .description("Checkpoints the scorer refused (fetch, verification or load failed), by class set")
                    .tag("class_set", classSet)
                    .register(registry);
        }
    }

    private static Optional<Bias> currentBias(KafkaStreams labeler, String classSetId) {
        try {
            ValueAndTimestamp<Bias> bias = labeler.store(StoreQueryParameters.fromNameAndType(
                            LabelerTopology.BIAS_STORE,
                            QueryableStoreTypes.<ClassSetKey, Bias>timestampedKeyValueStore()))
                    .get(new ClassSetKey(classSetId));
            return bias == null ? Optional.empty() : Optional.of(bias.value());
        } catch (InvalidStateStoreException e) {
            return Optional.empty();
        }
    }

    /**
     * The process's metrics: those of this pipeline, the JVM and the process; other services of the
     * process (the trainer) register theirs here too, and the query server serves them.
     */
    public PrometheusMeterRegistry metrics() {
        return registry;
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
        if (shadowFollower != null) {
            shadowFollower.close();
        }
        if (shadowModel != null) {
            shadowModel.close();
        }
        if (deadLetterOffsets != null) {
            synchronized (deadLetterOffsets) {
                deadLetterOffsets.close();
            }
        }
        checkpoints.close();
        if (model != null) {
            model.close();
        }
        for (AutoCloseable binder : binders) {
            try {
                binder.close();
            } catch (Exception e) {
                // metrics only: nothing to recover
            }
        }
        registry.close();
    }
}
