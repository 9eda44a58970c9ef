package io.ccdstream.bench;

import io.ccdstream.data.ImageRecords;
import io.ccdstream.data.synth.SynthClass;
import io.ccdstream.data.synth.SynthScene;
import io.ccdstream.data.synth.SynthScenes;
import io.ccdstream.embedded.EmbeddedRuntime;
import io.ccdstream.method.ccd.BiasWindow;
import io.ccdstream.method.image.ImageDecoder;
import io.ccdstream.method.image.RgbImage;
import io.ccdstream.models.classifier.Classifier;
import io.ccdstream.models.classifier.ClassifierConfig;
import io.ccdstream.models.classifier.ClassifierTrainer;
import io.ccdstream.models.classifier.ClassifierTrainerConfig;
import io.ccdstream.models.clip.ClassSet;
import io.ccdstream.models.clip.ClipModel;
import io.ccdstream.models.scoring.CcdImageScorer;
import io.ccdstream.models.scoring.ScoredImage;
import io.ccdstream.schemas.Bias;
import io.ccdstream.schemas.Checkpoint;
import io.ccdstream.schemas.CheckpointMetrics;
import io.ccdstream.schemas.CheckpointPhase;
import io.ccdstream.schemas.ClassSetKey;
import io.ccdstream.schemas.ImageKey;
import io.ccdstream.schemas.Label;
import io.ccdstream.schemas.Scores;
import io.ccdstream.streams.CcdStreamsConfig;
import io.ccdstream.streams.bias.BiasSettings;
import io.ccdstream.streams.labeler.LabelMaker;
import io.ccdstream.streams.metrics.PipelineMetrics;
import io.ccdstream.streams.pipeline.Pipeline;
import io.ccdstream.streams.pipeline.PipelineConfig;
import io.ccdstream.streams.pipeline.PipelineSettings;
import io.ccdstream.streams.scorer.CheckpointFetcher;
import io.ccdstream.streams.scorer.CheckpointInstaller;
import io.ccdstream.streams.scorer.RescoreSettings;
import io.ccdstream.streams.scorer.ScorerSettings;
import io.ccdstream.topics.CcdTopics;
import io.ccdstream.topics.FloatLists;
import io.ccdstream.topics.ImageProducer;
import io.ccdstream.topics.OutputWatcher;
import io.ccdstream.topics.RegistrySerdes;
import io.ccdstream.trainer.TrainerConfig;
import io.ccdstream.trainer.TrainerService;
import io.ccdstream.trainer.TrainerStatus;
import io.ccdstream.trainer.Trainers;
import io.micrometer.core.instrument.DistributionSummary;
import java.io.IOException;
import java.io.PrintStream;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.text.ParseException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Function;
import java.util.stream.IntStream;
import jdk.jfr.Configuration;
import jdk.jfr.Recording;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.streams.KafkaStreams;

/**
 * Scorer, bias, labeler and trainer from a backlog, the way Kafka's own performance tools measure:
 * the input is loaded on the topic while the service is paused, then the service runs and the rate
 * is taken from its first to its last committed output (read_committed). Beside each, the same work
 * called directly on the same items in the same run. Then the end-to-end latency at a stated share of
 * the scorer's backlog rate, a JDK Flight Recorder profile of the backlog runs, and the services at
 * one and two stream threads and instances.
 */
public final class ThroughputBench {

    private static final int TRAIN_BATCH = 16;
    private static final Duration NO_BACKFILL = Duration.ofDays(1);
    private static final String PROFILE_FILE = "throughput.jfr";

    /** One backlog figure: items/s, CPU per item, mean scoring batch, CLIP calls per image. */
    private record Row(
            String stage,
            String mode,
            String path,
            int items,
            double perSecond,
            double cpuMsPerItem,
            double batch,
            double clipPerItem) {}

    /** End-to-end latency at one offered load. */
    private record LatencyRow(double share, double offered, int images, double achieved, long[] latencies) {}

    /** One service at one layout of threads and instances. */
    private record ScalingRow(String service, String layout, int items, double perSecond, double cpuMsPerItem) {}

    /**
     * What to measure.
     *
     * @param images        images of the scorer backlog (global-only)
     * @param camImages     images of the scorer backlog with CAM crops
     * @param records       score records of the bias and labeler backlogs
     * @param trainerImages images of the trainer's training set (an epoch)
     * @param batchSize     scorer and direct batch size
     * @param timeout       longest wait for one Kafka run
     * @param scenes        the SynthScenes generator of the images
     * @param imageSize     the side of those images
     * @param pipeline      the labelling settings (model, class set, ...)
     * @param loads         shares of the scorer's backlog rate offered in the latency runs
     * @param loadDuration  how long each load is offered
     * @param profile       whether to record the backlog runs with JDK Flight Recorder
     * @param scaling       whether to measure 1 and 2 stream threads and instances
     */
    public record Settings(
            int images,
            int camImages,
            int records,
            int trainerImages,
            int batchSize,
            Duration timeout,
            SynthScenes scenes,
            int imageSize,
            PipelineConfig pipeline,
            List<Double> loads,
            Duration loadDuration,
            boolean profile,
            boolean scaling) {

        /** Validates the counts. */
        public Settings {
            if (images < 1 || camImages < 1 || records < 1 || batchSize < 1) {
                throw new IllegalArgumentException("images, records and batch size must be positive");
            }
            if (trainerImages < TRAIN_BATCH || trainerImages > images) {
                throw new IllegalArgumentException(
                        "trainer images must be between " + TRAIN_BATCH + " and the images, got " + trainerImages);
            }
            loads = List.copyOf(loads);
        }
    }

    private final Settings bench;
    private final PrintStream out;
    private final List<Row> rows = new ArrayList<>();
    private final List<LatencyRow> latencyRows = new ArrayList<>();
    private final List<ScalingRow> scalingRows = new ArrayList<>();
    private final AtomicInteger runs = new AtomicInteger();
    private final List<String> notes = new ArrayList<>();
    /** Share of each scorer backlog run's wall-clock time its model spent in calls, by mode. */
    private final Map<String, Double> modelBusy = new LinkedHashMap<>();

    private long commitIntervalMs;
    private ProfileSummary profile;
    private Path profileFile;

    /** A benchmark of {@code settings} printing to {@code out}. */
    public ThroughputBench(Settings settings, PrintStream out) {
        this.bench = settings;
        this.out = out;
    }

    /**
     * Runs every measurement and prints the tables.
     *
     * @param workDir model, broker and state directory; null for a temporary one, deleted at the end
     *     (with the recording)
     */
    public void run(Path workDir) throws Exception {
        Path work = workDir != null ? workDir : Files.createTempDirectory("ccd-bench-");
        try {
            run(work, bench.pipeline());
        } finally {
            if (workDir == null) {
                WorkDirs.deleteTree(work);
            }
        }
    }

    private int batch() {
        return bench.batchSize();
    }

    private void run(Path work, PipelineConfig pipeline) throws Exception {
        PipelineSettings settings = pipeline.settings(work, SynthClass.names())
                .withScorer(new ScorerSettings(
                        batch(), ScorerSettings.DEFAULTS.maxWait(), NO_BACKFILL, RescoreSettings.OFF));
        int distinct = Math.max(bench.images(), Math.max(bench.camImages(), bench.trainerImages()));
        List<SynthScene> scenes =
                IntStream.range(0, distinct).mapToObj(bench.scenes()::generate).toList();
        List<byte[]> pngs = scenes.stream().map(SynthScene::png).toList();
        Path file = work.resolve("classifier.ckpt");
        try (Classifier classifier = Classifier.create(ClassifierConfig.builder()
                .setClassNames(settings.classSet().classNames())
                .optInputSize(bench.imageSize())
                .build())) {
            Checkpoint checkpoint = checkpoint(settings.classSet().id(), classifier, file);
            try (EmbeddedRuntime runtime = EmbeddedRuntime.start(work.resolve("kafka"), 0, 0, 1)) {
                Recording recording = bench.profile() ? startRecording() : null;
                Map<String, Scores> global = scorerBacklog(runtime, work, settings, pngs, checkpoint);
                onOwnThread(() -> scoreDirectly(settings, pngs, checkpoint, file));
                List<Scores> records = scoreRecords(global, bench.records());
                biasBacklog(runtime, work, settings, records, 1, 1, true);
                labelerBacklog(runtime, work, settings, records, 1, 1, true);
                List<float[]> targets = global.values().stream()
                        .limit(bench.trainerImages())
                        .map(s -> FloatLists.toArray(s.getGlobal()))
                        .toList();
                onOwnThread(() -> train(classifier, decode(pngs.subList(0, TRAIN_BATCH)), targets));
                trainThroughKafka(
                        work.resolve("trainer-kafka"), settings, scenes.subList(0, bench.trainerImages()), targets);
                if (recording != null) {
                    profileFile = work.resolve(PROFILE_FILE);
                    recording.stop();
                    recording.dump(profileFile);
                    recording.close();
                    profile = ProfileSummary.read(profileFile);
                }
                latencyAtLoad(runtime, work, settings, pngs);
            }
            if (bench.scaling()) {
                scaling(work, settings, pngs);
            }
        }
        print(settings);
    }

    /** A direct measurement. */
    private interface Measurement {
        void run() throws Exception;
    }

    /**
     * Runs a direct measurement on a thread of its own, as the services call their models from
     * theirs (runs on the process's main thread measured 5 to 10 times slower on a loaded machine;
     * the cause is not established).
     */
    private static void onOwnThread(Measurement measurement) throws Exception {
        ExecutorService thread = Executors.newSingleThreadExecutor(runnable -> new Thread(runnable, "bench-direct"));
        try {
            thread.submit(() -> {
                        measurement.run();
                        return null;
                    })
                    .get();
        } catch (ExecutionException e) {
            if (e.getCause() instanceof Exception cause) {
                throw cause;
            }
            throw e;
        } finally {
            thread.shutdown();
        }
    }

    private static Recording startRecording() throws IOException, ParseException {
        Recording recording = new Recording(Configuration.getConfiguration("profile"));
        recording.enable("jdk.ExecutionSample").withPeriod(Duration.ofMillis(10));
        recording.enable("jdk.NativeMethodSample").withPeriod(Duration.ofMillis(10));
        recording.setName("ccd bench throughput");
        recording.start();
        return recording;
    }

    // ---------------------------------------------------------------- Kafka plumbing

    /** Settings of a fresh application (its own group and state), starting at the end of its input. */
    private CcdStreamsConfig config(EmbeddedRuntime runtime, Path work, int threads) {
        int run = runs.incrementAndGet();
        Map<String, Object> map = new HashMap<>();
        map.put(CcdStreamsConfig.BOOTSTRAP_SERVERS, runtime.bootstrapServers());
        map.put(CcdStreamsConfig.SCHEMA_REGISTRY_URL, runtime.registryUrl());
        map.put(CcdStreamsConfig.STATE_DIR, work.resolve("streams-" + run).toString());
        map.put(CcdStreamsConfig.APPLICATION_ID_PREFIX, "bench-" + run);
        map.put(CcdStreamsConfig.NUM_STREAM_THREADS, threads);
        CcdStreamsConfig config = new CcdStreamsConfig(map);
        for (Pipeline.Service service : Pipeline.Service.values()) {
            startAtEnd(runtime, config.applicationId(service.name()));
        }
        commitIntervalMs = config.getLong(CcdStreamsConfig.COMMIT_INTERVAL_MS);
        return config;
    }

    /**
     * Commits the current end of the images and scores topics for the group {@code groupId}, so that a
     * fresh application starts there whichever instance a partition lands on, and whenever.
     */
    private static void startAtEnd(EmbeddedRuntime runtime, String groupId) {
        try (Admin admin =
                Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, runtime.bootstrapServers()))) {
            Map<TopicPartition, OffsetSpec> latest = new HashMap<>();
            for (String topic : List.of(CcdTopics.IMAGES.name(), CcdTopics.SCORES.name())) {
                admin.describeTopics(List.of(topic))
                        .allTopicNames()
                        .get()
                        .get(topic)
                        .partitions()
                        .forEach(p -> latest.put(new TopicPartition(topic, p.partition()), OffsetSpec.latest()));
            }
            Map<TopicPartition, OffsetAndMetadata> offsets = new HashMap<>();
            admin.listOffsets(latest)
                    .all()
                    .get()
                    .forEach((partition, info) -> offsets.put(partition, new OffsetAndMetadata(info.offset())));
            admin.alterConsumerGroupOffsets(groupId, offsets).all().get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        } catch (ExecutionException e) {
            throw new IllegalStateException("could not set the start offsets of " + groupId, e.getCause());
        }
    }

    private static RegistrySerdes serdes(EmbeddedRuntime runtime) {
        return new RegistrySerdes(Map.of(CcdStreamsConfig.SCHEMA_REGISTRY_URL, runtime.registryUrl()));
    }

    private static <V extends org.apache.avro.specific.SpecificRecord> Arrivals<ImageKey, V> arrivals(
            EmbeddedRuntime runtime, io.ccdstream.topics.Topic<ImageKey, V> topic) {
        return new Arrivals<>(
                OutputWatcher.consumer(runtime.bootstrapServers(), topic, serdes(runtime)),
                topic.name(),
                record -> record.key().getImageId());
    }

    private static KafkaProducer<ImageKey, Scores> scoresProducer(EmbeddedRuntime runtime) {
        RegistrySerdes serdes = serdes(runtime);
        return new KafkaProducer<>(
                Map.of(
                        ProducerConfig.BOOTSTRAP_SERVERS_CONFIG,
                        runtime.bootstrapServers(),
                        ProducerConfig.ACKS_CONFIG,
                        "all",
                        ProducerConfig.LINGER_MS_CONFIG,
                        5,
                        ProducerConfig.BATCH_SIZE_CONFIG,
                        256 * 1024),
                CcdTopics.SCORES.keySerde(serdes).serializer(),
                CcdTopics.SCORES.valueSerde(serdes).serializer());
    }

    private static void send(KafkaProducer<ImageKey, Scores> producer, List<Scores> records) {
        for (Scores record : records) {
            producer.send(new ProducerRecord<>(
                    CcdTopics.SCORES.name(), new ImageKey(record.getClassSetId(), record.getImageId()), record));
        }
        producer.flush();
    }

    private static void sendImages(ImageProducer ingest, String classSetId, String prefix, List<byte[]> pngs) {
        for (int i = 0; i < pngs.size(); i++) {
            ingest.send(ImageRecords.inline(
                    classSetId, prefix + i, pngs.get(i), "image/png", null, ImageRecords.SYNTHSCENES));
        }
        ingest.flush();
    }

    /** Process CPU time so far (every thread: services, broker, bench), in nanoseconds. */
    private static long cpuNanos() {
        return ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean())
                .getProcessCpuTime();
    }

    /** Scoring batches formed so far: count and images. */
    private static double[] batches(Pipeline pipeline) {
        double count = 0;
        double images = 0;
        for (DistributionSummary summary :
                pipeline.metrics().find(PipelineMetrics.BATCH_SIZE).summaries()) {
            count += summary.count();
            images += summary.totalAmount();
        }
        return new double[] {count, images};
    }

    /** Seconds the scorer's model has spent in calls so far. */
    private static double busySeconds(Pipeline pipeline) {
        return pipeline.metrics().find(PipelineMetrics.MODEL_BUSY).counters().stream()
                .mapToDouble(io.micrometer.core.instrument.Counter::count)
                .sum();
    }

    private static void pause(List<Pipeline> pipelines, Pipeline.Service service, boolean paused) {
        for (Pipeline pipeline : pipelines) {
            KafkaStreams streams = pipeline.streams(service).orElseThrow();
            if (paused) {
                streams.pause();
            } else {
                streams.resume();
            }
        }
    }

    // ---------------------------------------------------------------- scorer

    /** The scorer from a backlog, global-only then with the checkpoint installed; returns the global scores. */
    private Map<String, Scores> scorerBacklog(
            EmbeddedRuntime runtime, Path work, PipelineSettings settings, List<byte[]> pngs, Checkpoint checkpoint)
            throws Exception {
        CcdStreamsConfig config = config(runtime, work, 1);
        String classSetId = settings.classSet().id();
        try (Pipeline pipeline = Pipeline.start(config, settings, List.of(Pipeline.Service.scorer));
                ImageProducer ingest = new ImageProducer(runtime.bootstrapServers(), serdes(runtime));
                Arrivals<ImageKey, Scores> scores = arrivals(runtime, CcdTopics.SCORES)) {
            Map<String, Scores> global = scorerRun(
                    List.of(pipeline), ingest, scores, classSetId, "global", pngs.subList(0, bench.images()), rows);
            install(pipeline, settings.classSet(), checkpoint, work);
            scorerRun(List.of(pipeline), ingest, scores, classSetId, "CAM", pngs.subList(0, bench.camImages()), rows);
            return global;
        }
    }

    /** Warms up on a few images, then loads {@code pngs} while paused and times the run. */
    private Map<String, Scores> scorerRun(
            List<Pipeline> pipelines,
            ImageProducer ingest,
            Arrivals<ImageKey, Scores> scores,
            String classSetId,
            String mode,
            List<byte[]> pngs,
            List<Row> into) {
        int run = runs.incrementAndGet();
        String warm = "warm-" + run + "-" + mode + "-";
        List<byte[]> warmUp = pngs.subList(0, Math.min(pngs.size(), 2 * batch()));
        sendImages(ingest, classSetId, warm, warmUp);
        scores.await(id -> id.startsWith(warm), warmUp.size(), bench.timeout());
        String prefix = "run-" + run + "-" + mode + "-";
        pause(pipelines, Pipeline.Service.scorer, true);
        sendImages(ingest, classSetId, prefix, pngs);
        double[] before = batches(pipelines.get(0));
        double busyBefore = busySeconds(pipelines.get(0));
        long cpu = cpuNanos();
        pause(pipelines, Pipeline.Service.scorer, false);
        long start = System.nanoTime();
        Arrivals.Result<Scores> result = scores.await(id -> id.startsWith(prefix), pngs.size(), bench.timeout());
        long wall = System.nanoTime() - start;
        cpu = cpuNanos() - cpu;
        double[] after = batches(pipelines.get(0));
        if (pipelines.size() == 1) {
            modelBusy.put(mode, (busySeconds(pipelines.get(0)) - busyBefore) / (wall / 1e9));
        }
        // in the order of the images
        Map<String, Scores> byId = new LinkedHashMap<>();
        for (int i = 0; i < pngs.size(); i++) {
            byId.put(prefix + i, result.outputs().get(prefix + i).value());
        }
        into.add(new Row(
                "scorer",
                mode,
                "kafka",
                pngs.size(),
                result.perSecond(start),
                cpu / 1e6 / pngs.size(),
                pipelines.size() == 1 ? (after[1] - before[1]) / (after[0] - before[0]) : Double.NaN,
                byId.values().stream()
                        .mapToInt(Scores::getClipInferences)
                        .average()
                        .orElseThrow()));
        return byId;
    }

    private static Checkpoint checkpoint(String classSetId, Classifier classifier, Path file) throws IOException {
        String sha256 = classifier.save(file);
        return Checkpoint.newBuilder()
                .setClassSetId(classSetId)
                .setVersion(1)
                .setPhase(CheckpointPhase.WARMUP)
                .setArchitecture(String.valueOf(classifier.config().backbone()))
                .setLocation(file.toUri().toString())
                .setSha256(sha256)
                .setSizeBytes(Files.size(file))
                .setCreatedAt(Instant.now())
                .setMetrics(CheckpointMetrics.newBuilder()
                        .setTrainLabelMap(0)
                        .setLoss(0)
                        .setImagesSeen(0)
                        .setEpochs(0)
                        .build())
                .build();
    }

    /** Installs the checkpoint into the running scorer the way its checkpoint follower would. */
    private static void install(Pipeline pipeline, ClassSet classSet, Checkpoint checkpoint, Path work) {
        CheckpointInstaller installer = new CheckpointInstaller(
                new CheckpointFetcher(work.resolve("checkpoint-cache"), Duration.ofSeconds(60)),
                pipeline.checkpoints(),
                List.of(classSet));
        installer.consider(checkpoint);
        if (!pipeline.checkpoints().has(classSet.id())) {
            throw new IllegalStateException("the scorer refused the benchmark checkpoint: " + installer.refusals());
        }
    }

    private static List<RgbImage> decode(List<byte[]> pngs) {
        ImageDecoder decoder = ImageDecoder.builder().build();
        return pngs.stream().map(png -> decoder.decode(png).image()).toList();
    }

    /**
     * The scorer's work called directly in batches: PNG decode and model (as the service does), then
     * the model alone on pre-decoded images; global-only, then with CAM crops from the checkpoint
     * loaded as the scorer loads it.
     */
    private void scoreDirectly(PipelineSettings settings, List<byte[]> pngs, Checkpoint checkpoint, Path file)
            throws Exception {
        ClassSet classSet = settings.classSet();
        ImageDecoder decoder = ImageDecoder.builder()
                .optLimits(settings.imageLimits())
                .optDecodeBudgetPixels(settings.decodeBudgetPixels())
                .build();
        try (ClipModel clip = ClipModel.load(settings.modelDir());
                Classifier classifier = Classifier.load(file, checkpoint.getSha256(), classSet.classNames())) {
            CcdImageScorer scorer = new CcdImageScorer(clip, settings.refinement());
            Function<List<RgbImage>, List<ScoredImage>> global = batch -> scorer.scoreGlobal(classSet, batch);
            Function<List<RgbImage>, List<ScoredImage>> cam = batch -> scorer.scoreRefined(classSet, batch, classifier);
            for (var mode : List.of(Map.entry("global", global), Map.entry("CAM", cam))) {
                List<byte[]> items =
                        pngs.subList(0, mode.getKey().equals("global") ? bench.images() : bench.camImages());
                Function<List<RgbImage>, List<ScoredImage>> score = mode.getValue();
                score.apply(decode(items.subList(0, Math.min(batch(), items.size()))));
                directScorer(
                        mode.getKey(),
                        "direct (decode + model)",
                        items,
                        batch -> score.apply(batch.stream()
                                .map(png -> decoder.decode(png).image())
                                .toList()));
                List<RgbImage> pixels = decode(items);
                directScorer(mode.getKey(), "direct (model alone)", pixels, score);
            }
        }
    }

    private <T> void directScorer(String mode, String path, List<T> items, Function<List<T>, List<ScoredImage>> score) {
        List<ScoredImage> scored = new ArrayList<>();
        long cpu = cpuNanos();
        Timing timing = Timing.ofBatches(items, batch(), batch -> scored.addAll(score.apply(batch)));
        cpu = cpuNanos() - cpu;
        rows.add(new Row(
                "scorer",
                mode,
                path,
                items.size(),
                timing.perSecond(),
                cpu / 1e6 / items.size(),
                Math.min(batch(), items.size()),
                scored.stream().mapToInt(ScoredImage::clipInferences).average().orElseThrow()));
    }

    /** {@code count} score records under fresh ids, cycling through the scorer's global outputs. */
    private static List<Scores> scoreRecords(Map<String, Scores> global, int count) {
        List<Scores> source = List.copyOf(global.values());
        List<Scores> records = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            Scores record = Scores.newBuilder(source.get(i % source.size())).build();
            record.setImageId("scores-" + i);
            records.add(record);
        }
        return records;
    }

    private static List<Scores> renamed(List<Scores> records, String prefix) {
        return records.stream()
                .map(r -> {
                    Scores copy = Scores.newBuilder(r).build();
                    copy.setImageId(prefix + r.getImageId());
                    return copy;
                })
                .toList();
    }

    // ---------------------------------------------------------------- bias

    /**
     * The bias service from a backlog. It publishes an estimate each time a bucket of its window
     * fills, so the records between two estimates are known exactly from the same window run
     * directly over the same sequence; the rate is the records between its first and last committed
     * estimate over the time between them.
     */
    private void biasBacklog(
            EmbeddedRuntime runtime,
            Path work,
            PipelineSettings settings,
            List<Scores> records,
            int threads,
            int instances,
            boolean main)
            throws Exception {
        BiasSettings bias = settings.bias();
        int classes = settings.classSet().size();
        int run = runs.incrementAndGet();
        List<Scores> warmUp =
                renamed(records.subList(0, Math.min(records.size(), bias.windowSize())), "warm-" + run + "-");
        List<Scores> backlog = renamed(records, "run-" + run + "-");
        // the window over warm-up then backlog: the backlog index of each estimate published
        BiasWindow window = BiasWindow.empty(classes, bias.windowSize(), bias.buckets());
        long version = 0;
        Map<Long, Integer> indexOfVersion = new HashMap<>();
        long warmVersions = 0;
        long directStart = System.nanoTime();
        for (int i = 0; i < warmUp.size() + backlog.size(); i++) {
            Scores scores = i < warmUp.size() ? warmUp.get(i) : backlog.get(i - warmUp.size());
            window = window.add(FloatLists.toArray(scores.getGlobal()), bias.entropyThreshold());
            if (window.bucketJustCompleted() && window.total().accepted() >= bias.minSamples()) {
                version++;
                if (i >= warmUp.size()) {
                    indexOfVersion.put(version, i - warmUp.size());
                } else {
                    warmVersions = version;
                }
            }
        }
        long directNanos = System.nanoTime() - directStart;
        if (main) {
            rows.add(new Row(
                    "bias",
                    "global",
                    "direct (window)",
                    warmUp.size() + backlog.size(),
                    (warmUp.size() + backlog.size()) / (directNanos / 1e9),
                    Double.NaN,
                    Double.NaN,
                    Double.NaN));
        }
        if (indexOfVersion.size() < 2) {
            // nothing to time between: too few records, or scores too flat for the entropy filter
            // (a random-weight model's)
            notes.add("bias through Kafka not measured: its window publishes " + indexOfVersion.size()
                    + " estimates over these " + backlog.size() + " records (too few records, or scores too flat "
                    + "to pass its entropy threshold)");
            return;
        }
        CcdStreamsConfig config = config(runtime, work, threads);
        List<Pipeline> pipelines = new ArrayList<>();
        try (KafkaProducer<ImageKey, Scores> producer = scoresProducer(runtime);
                Arrivals<ClassSetKey, Bias> estimates = new Arrivals<>(
                        OutputWatcher.consumer(runtime.bootstrapServers(), CcdTopics.BIAS, serdes(runtime)),
                        CcdTopics.BIAS.name(),
                        record -> record.key().getClassSetId() + "@"
                                + record.value().getVersion())) {
            for (int i = 0; i < instances; i++) {
                pipelines.add(Pipeline.start(instanceConfig(config, i), settings, List.of(Pipeline.Service.bias)));
            }
            String classSet = settings.classSet().id();
            send(producer, warmUp);
            if (warmVersions > 0) {
                long last = warmVersions;
                estimates.await(id -> id.equals(classSet + "@" + last), 1, bench.timeout());
            }
            pause(pipelines, Pipeline.Service.bias, true);
            send(producer, backlog);
            long cpu = cpuNanos();
            pause(pipelines, Pipeline.Service.bias, false);
            long start = System.nanoTime();
            Arrivals.Result<Bias> result = estimates.await(
                    id -> indexOfVersion.containsKey(version(id)), indexOfVersion.size(), bench.timeout());
            cpu = cpuNanos() - cpu;
            List<String> arrived = List.copyOf(result.outputs().keySet());
            int firstIndex = result.outputs().entrySet().stream()
                    .filter(e -> e.getValue().arrivedNanos() == result.firstNanos())
                    .mapToInt(e -> indexOfVersion.get(version(e.getKey())))
                    .max()
                    .orElseThrow();
            int lastIndex = indexOfVersion.get(version(arrived.get(arrived.size() - 1)));
            // a short run whose first estimates come in one commit: every record from the start instead
            double perSecond = firstIndex * 2 > lastIndex
                    ? (lastIndex + 1) / ((result.lastNanos() - start) / 1e9)
                    : (lastIndex - firstIndex) / ((result.lastNanos() - result.firstNanos()) / 1e9);
            double cpuMs = cpu / 1e6 / backlog.size();
            if (main) {
                rows.add(new Row("bias", "global", "kafka", backlog.size(), perSecond, cpuMs, Double.NaN, Double.NaN));
            } else {
                scalingRows.add(new ScalingRow("bias", layout(threads, instances), backlog.size(), perSecond, cpuMs));
            }
        } finally {
            pipelines.forEach(Pipeline::close);
        }
    }

    private static long version(String id) {
        return Long.parseLong(id.substring(id.lastIndexOf('@') + 1));
    }

    /** The same application with the state directory of instance {@code i}. */
    private static CcdStreamsConfig instanceConfig(CcdStreamsConfig config, int i) {
        if (i == 0) {
            return config;
        }
        Map<String, Object> map = new HashMap<>(config.originals());
        map.put(CcdStreamsConfig.STATE_DIR, config.getString(CcdStreamsConfig.STATE_DIR) + "-instance-" + i);
        return new CcdStreamsConfig(map);
    }

    private static String layout(int threads, int instances) {
        return instances + (instances == 1 ? " instance" : " instances") + " x " + threads
                + (threads == 1 ? " thread" : " threads");
    }

    // ---------------------------------------------------------------- labeler

    /** The labeler from a backlog of score records, with the bias the bias run published in its table. */
    private void labelerBacklog(
            EmbeddedRuntime runtime,
            Path work,
            PipelineSettings settings,
            List<Scores> records,
            int threads,
            int instances,
            boolean main)
            throws Exception {
        int run = runs.incrementAndGet();
        List<Scores> warmUp = renamed(records.subList(0, Math.min(records.size(), 1000)), "warm-" + run + "-");
        String prefix = "run-" + run + "-";
        List<Scores> backlog = renamed(records, prefix);
        if (main) {
            LabelMaker labels = Pipeline.labelMaker(settings);
            Bias bias = latestBias(runtime);
            labels.label(new ImageKey(warmUp.get(0).getClassSetId(), "x"), warmUp.get(0), bias, Instant.now());
            long cpu = cpuNanos();
            long start = System.nanoTime();
            for (Scores record : backlog) {
                labels.label(new ImageKey(record.getClassSetId(), record.getImageId()), record, bias, Instant.now());
            }
            long nanos = System.nanoTime() - start;
            cpu = cpuNanos() - cpu;
            rows.add(new Row(
                    "labeler",
                    "global",
                    "direct",
                    backlog.size(),
                    backlog.size() / (nanos / 1e9),
                    cpu / 1e6 / backlog.size(),
                    Double.NaN,
                    Double.NaN));
        }
        CcdStreamsConfig config = config(runtime, work, threads);
        List<Pipeline> pipelines = new ArrayList<>();
        try (KafkaProducer<ImageKey, Scores> producer = scoresProducer(runtime);
                Arrivals<ImageKey, Label> labels = arrivals(runtime, CcdTopics.LABELS)) {
            for (int i = 0; i < instances; i++) {
                pipelines.add(Pipeline.start(instanceConfig(config, i), settings, List.of(Pipeline.Service.labeler)));
            }
            String warm = "warm-" + run + "-";
            send(producer, warmUp);
            labels.await(id -> id.startsWith(warm), warmUp.size(), bench.timeout());
            pause(pipelines, Pipeline.Service.labeler, true);
            send(producer, backlog);
            long cpu = cpuNanos();
            pause(pipelines, Pipeline.Service.labeler, false);
            long start = System.nanoTime();
            Arrivals.Result<Label> result = labels.await(id -> id.startsWith(prefix), backlog.size(), bench.timeout());
            cpu = cpuNanos() - cpu;
            double cpuMs = cpu / 1e6 / backlog.size();
            if (main) {
                rows.add(new Row(
                        "labeler",
                        "global",
                        "kafka",
                        backlog.size(),
                        result.perSecond(start),
                        cpuMs,
                        Double.NaN,
                        Double.NaN));
            } else {
                scalingRows.add(new ScalingRow(
                        "labeler", layout(threads, instances), backlog.size(), result.perSecond(start), cpuMs));
            }
        } finally {
            pipelines.forEach(Pipeline::close);
        }
    }

    /** The newest bias estimate on the topic, or null. */
    private static Bias latestBias(EmbeddedRuntime runtime) {
        try (KafkaConsumer<ClassSetKey, Bias> consumer =
                OutputWatcher.consumer(runtime.bootstrapServers(), CcdTopics.BIAS, serdes(runtime))) {
            var partitions = consumer.partitionsFor(CcdTopics.BIAS.name()).stream()
                    .map(p -> new TopicPartition(p.topic(), p.partition()))
                    .toList();
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            Map<TopicPartition, Long> end = consumer.endOffsets(partitions);
            Bias latest = null;
            while (partitions.stream().anyMatch(p -> consumer.position(p) < end.get(p))) {
                for (var record : consumer.poll(Duration.ofMillis(100))) {
                    latest = record.value();
                }
            }
            return latest;
        }
    }

    // ---------------------------------------------------------------- trainer

    /** trainStep on one pre-decoded batch, warm-up then refinement. */
    private void train(Classifier classifier, List<RgbImage> batch, List<float[]> global) {
        float[][] targets = global.subList(0, batch.size()).toArray(float[][]::new);
        int steps = Math.max(4, bench.trainerImages() / TRAIN_BATCH);
        try (ClassifierTrainer trainer = classifier.newTrainer(
                ClassifierTrainerConfig.builder().optBatchSize(batch.size()).build())) {
            for (float beta : new float[] {0f, 1f}) {
                trainer.trainStep(batch, targets, beta);
                long cpu = cpuNanos();
                Timing timing = Timing.ofBatches(
                        IntStream.range(0, steps).boxed().toList(), 1, step -> trainer.trainStep(batch, targets, beta));
                cpu = cpuNanos() - cpu;
                rows.add(new Row(
                        "trainer",
                        beta == 0 ? "warm-up (beta 0)" : "consistency (beta 1)",
                        "direct (trainStep, pre-decoded)",
                        steps * batch.size(),
                        timing.perSecond() * batch.size(),
                        cpu / 1e6 / (steps * batch.size()),
                        batch.size(),
                        Double.NaN));
            }
        }
    }

    /**
     * The trainer service on a broker of its own: the scenes and labels made from their global
     * scores go in, then the warm-up round (beta 0) and the refinement round on the same labels
     * (beta 1) run as the service runs them, reading the training set it stored from the topics.
     * Images/s of a round: the steps between the first and the last it reports, times the batch, over
     * the time between them (epoch boundaries, with the train-label mAP pass, included).
     */
    private void trainThroughKafka(Path dir, PipelineSettings settings, List<SynthScene> scenes, List<float[]> global)
            throws Exception {
        int epochs = 2;
        ClassSet classSet = settings.classSet();
        LabelMaker labels = Pipeline.labelMaker(settings);
        try (EmbeddedRuntime runtime = EmbeddedRuntime.start(dir, 0, 0, 1)) {
            RegistrySerdes serdes = serdes(runtime);
            try (ImageProducer ingest = new ImageProducer(runtime.bootstrapServers(), serdes);
                    KafkaProducer<ImageKey, Label> producer = new KafkaProducer<>(
                            Map.of(
                                    ProducerConfig.BOOTSTRAP_SERVERS_CONFIG,
                                    runtime.bootstrapServers(),
                                    ProducerConfig.ACKS_CONFIG,
                                    "all"),
                            CcdTopics.LABELS.keySerde(serdes).serializer(),
                            CcdTopics.LABELS.valueSerde(serdes).serializer())) {
                for (int i = 0; i < scenes.size(); i++) {
                    SynthScene scene = scenes.get(i);
                    ingest.send(ImageRecords.synth(scene, classSet.id()));
                    ImageKey key = new ImageKey(classSet.id(), scene.id());
                    Scores scores = Scores.newBuilder()
                            .setImageId(scene.id())
                            .setClassSetId(classSet.id())
                            .setModelId(classSet.modelId())
                            .setImageWidth(bench.imageSize())
                            .setImageHeight(bench.imageSize())
                            .setGlobal(FloatLists.toList(global.get(i)))
                            .setClipInferences(1)
                            .setScoredAt(Instant.now())
                            .build();
                    producer.send(new ProducerRecord<>(
                            CcdTopics.LABELS.name(), key, labels.label(key, scores, null, Instant.now())));
                }
                ingest.flush();
                producer.flush();
            }
            Map<String, Object> trainerSettings = new HashMap<>();
            trainerSettings.put(TrainerConfig.HTTP_PORT, 0);
            trainerSettings.put(TrainerConfig.INPUT_SIZE, bench.imageSize());
            trainerSettings.put(TrainerConfig.BATCH_SIZE, TRAIN_BATCH);
            trainerSettings.put(TrainerConfig.WARMUP_MIN_IMAGES, scenes.size());
            trainerSettings.put(TrainerConfig.WARMUP_EPOCHS, epochs);
            trainerSettings.put(TrainerConfig.REFINE_WAIT_FOR_CAM_LABELS, false);
            trainerSettings.put(TrainerConfig.REFINE_MAX_EPOCHS, epochs);
            trainerSettings.put(TrainerConfig.CONSISTENCY_BETA, 1.0);
            trainerSettings.put(TrainerConfig.CONTINUOUS_MIN_NEW_LABELS, Integer.MAX_VALUE);
            // training speed on every image, as before the held-out slice
            trainerSettings.put(TrainerConfig.HELD_OUT_EVERY, 0);
            try (TrainerService trainer = Trainers.start(
                    runtime.bootstrapServers(),
                    runtime.registryUrl(),
                    settings.classSet(),
                    settings.claimChecks(),
                    settings.refinesWithCam(),
                    dir.resolve("trainer"),
                    trainerSettings)) {
                Map<CheckpointPhase, long[]> stepTimes = watchSteps(trainer);
                stepTimes.forEach((phase, times) -> {
                    // times: steps observed, first and last observation nanoTime, CPU between them
                    double perSecond = (times[0] - 1) * (double) TRAIN_BATCH / ((times[2] - times[1]) / 1e9);
                    rows.add(new Row(
                            "trainer",
                            phase == CheckpointPhase.WARMUP ? "warm-up (beta 0)" : "consistency (beta 1)",
                            "kafka",
                            (int) (times[0] - 1) * TRAIN_BATCH,
                            perSecond,
                            times[3] / 1e6 / ((times[0] - 1) * TRAIN_BATCH),
                            TRAIN_BATCH,
                            Double.NaN));
                });
            }
        }
    }

    /**
     * Per round: steps observed, when the first and the last were reported, and the process CPU
     * between them; polling the service's status.
     */
    private Map<CheckpointPhase, long[]> watchSteps(TrainerService trainer) {
        Map<CheckpointPhase, long[]> times = new EnumMap<>(CheckpointPhase.class);
        long deadline = System.nanoTime() + bench.timeout().toNanos();
        String last = "";
        long firstCpu = 0;
        while (true) {
            TrainerStatus status = trainer.status();
            TrainerStatus.Round round = status.round();
            if (round != null && round.step() > 0) {
                String key = round.phase() + "/" + round.epoch() + "/" + round.step();
                if (!key.equals(last)) {
                    long now = System.nanoTime();
                    long cpu = cpuNanos();
                    long[] t = times.get(round.phase());
                    if (t == null) {
                        times.put(round.phase(), new long[] {1, now, now, 0});
                        firstCpu = cpu;
                    } else {
                        t[0]++;
                        t[2] = now;
                        t[3] = cpu - firstCpu;
                    }
                    last = key;
                }
            }
            if (status.published() != null && status.published().phase() == CheckpointPhase.REFINE) {
                break;
            }
            if (!trainer.isAlive() || System.nanoTime() > deadline) {
                throw new IllegalStateException(
                        "the trainer did not publish its refinement checkpoint within " + bench.timeout() + ": "
                                + status.summary(),
                        trainer.failure().orElse(null));
            }
            LockSupport.parkNanos(200_000);
        }
        times.values().removeIf(t -> t[0] < 2);
        if (times.size() < 2) {
            throw new IllegalStateException("too few trainer steps observed to time both rounds: " + times.keySet());
        }
        return times;
    }

    // ---------------------------------------------------------------- latency at load

    /**
     * Scorer (global-only), bias and labeler running; images produced at a steady share of the
     * scorer's global backlog rate; latency from an image's send (its record timestamp, which the
     * services carry to their outputs) to its first label readable read_committed.
     */
    private void latencyAtLoad(EmbeddedRuntime runtime, Path work, PipelineSettings settings, List<byte[]> pngs)
            throws Exception {
        if (bench.loads().isEmpty()) {
            return;
        }
        double backlogRate = rows.stream()
                .filter(r -> r.stage().equals("scorer")
                        && r.mode().equals("global")
                        && r.path().equals("kafka"))
                .findFirst()
                .orElseThrow()
                .perSecond();
        CcdStreamsConfig config = config(runtime, work, 1);
        String classSetId = settings.classSet().id();
        try (Pipeline pipeline = Pipeline.start(
                        config,
                        settings,
                        List.of(Pipeline.Service.scorer, Pipeline.Service.bias, Pipeline.Service.labeler));
                ImageProducer ingest = new ImageProducer(runtime.bootstrapServers(), serdes(runtime));
                Arrivals<ImageKey, Label> labels = arrivals(runtime, CcdTopics.LABELS)) {
            int run = runs.incrementAndGet();
            String warm = "warm-" + run + "-";
            List<byte[]> warmUp = pngs.subList(0, Math.min(pngs.size(), 2 * batch()));
            sendImages(ingest, classSetId, warm, warmUp);
            labels.await(id -> id.startsWith(warm), warmUp.size(), bench.timeout());
            for (double share : bench.loads()) {
                double rate = share * backlogRate;
                int count =
                        Math.max(1, (int) Math.round(rate * bench.loadDuration().toMillis() / 1000.0));
                String prefix = "load-" + run + "-" + Math.round(share * 100) + "-";
                Map<String, Arrivals.Arrival<Label>> outputs = new LinkedHashMap<>();
                java.util.function.Predicate<String> expected = id -> id.startsWith(prefix);
                long start = System.nanoTime();
                for (int i = 0; i < count; i++) {
                    long due = start + (long) (i * 1e9 / rate);
                    // labels are read while images are sent, so that each is timed when it is readable
                    for (long wait = due - System.nanoTime(); wait > 0; wait = due - System.nanoTime()) {
                        labels.collect(expected, outputs, Duration.ofNanos(Math.min(wait, 2_000_000)));
                    }
                    ingest.send(ImageRecords.inline(
                            classSetId,
                            prefix + i,
                            pngs.get(i % pngs.size()),
                            "image/png",
                            null,
                            ImageRecords.SYNTHSCENES));
                }
                ingest.flush();
                long sent = System.nanoTime() - start;
                Arrivals.Result<Label> result = labels.await(expected, count, bench.timeout(), outputs);
                long[] latencies = result.outputs().values().stream()
                        .mapToLong(a -> a.arrivedMillis() - a.recordTimestamp())
                        .sorted()
                        .toArray();
                latencyRows.add(new LatencyRow(share, rate, count, count / (sent / 1e9), latencies));
            }
        }
    }

    // ---------------------------------------------------------------- threads and instances

    /**
     * Scorer (global-only), bias and labeler on a broker whose topics have two partitions: one
     * instance with one stream thread, one with two, two instances with one each (in this process).
     */
    private void scaling(Path work, PipelineSettings settings, List<byte[]> pngs) throws Exception {
        Path dir = work.resolve("scaling");
        try (EmbeddedRuntime runtime = EmbeddedRuntime.start(dir.resolve("kafka"), 0, 0, 2)) {
            Map<String, Scores> global = null;
            for (int[] layout : new int[][] {{1, 1}, {2, 1}, {1, 2}}) {
                int threads = layout[0];
                int instances = layout[1];
                CcdStreamsConfig config = config(runtime, dir, threads);
                List<Pipeline> pipelines = new ArrayList<>();
                try (ImageProducer ingest = new ImageProducer(runtime.bootstrapServers(), serdes(runtime));
                        Arrivals<ImageKey, Scores> scores = arrivals(runtime, CcdTopics.SCORES)) {
                    for (int i = 0; i < instances; i++) {
                        pipelines.add(
                                Pipeline.start(instanceConfig(config, i), settings, List.of(Pipeline.Service.scorer)));
                    }
                    List<Row> into = new ArrayList<>();
                    Map<String, Scores> scored = scorerRun(
                            pipelines,
                            ingest,
                            scores,
                            settings.classSet().id(),
                            "global",
                            pngs.subList(0, bench.images()),
                            into);
                    global = global == null ? scored : global;
                    Row row = into.get(0);
                    scalingRows.add(new ScalingRow(
                            "scorer (global)",
                            layout(threads, instances),
                            row.items(),
                            row.perSecond(),
                            row.cpuMsPerItem()));
                } finally {
                    pipelines.forEach(Pipeline::close);
                }
            }
            List<Scores> records = scoreRecords(global, bench.records());
            for (int[] layout : new int[][] {{1, 1}, {2, 1}, {1, 2}}) {
                biasBacklog(runtime, dir, settings, records, layout[0], layout[1], false);
            }
            for (int[] layout : new int[][] {{1, 1}, {2, 1}, {1, 2}}) {
                labelerBacklog(runtime, dir, settings, records, layout[0], layout[1], false);
            }
        }
    }

    // ---------------------------------------------------------------- report

    private void print(PipelineSettings settings) {
        out.printf(
                "Backlog throughput: CLIP model %s, %d classes, %d px SynthScenes images, %d cores; Kafka: 1 "
                        + "partition, exactly_once_v2, commit.interval.ms %d, 1 stream thread; the input loaded "
                        + "while the service is paused, then timed from its first to its last committed output "
                        + "(read_committed)%n",
                settings.classSet().modelId(),
                settings.classSet().size(),
                bench.imageSize(),
                Runtime.getRuntime().availableProcessors(),
                commitIntervalMs);
        out.println("| stage | mode | path | items | items/s | kafka/direct | CPU ms/item | mean batch | CLIP/image |");
        out.println("|---|---|---|---:|---:|---:|---:|---:|---:|");
        for (Row row : rows.stream()
                .sorted(java.util.Comparator.comparingInt(this::order))
                .toList()) {
            out.printf(
                    "| %s | %s | %s | %d | %s | %s | %s | %s | %s |%n",
                    row.stage(),
                    row.mode(),
                    row.path(),
                    row.items(),
                    figure(row.perSecond()),
                    ratio(row),
                    figure(row.cpuMsPerItem()),
                    figure(row.batch()),
                    figure(row.clipPerItem()));
        }
        out.println();
        out.println("kafka/direct: against the direct row that does the same work (scorer: PNG decode + model; bias: "
                + "the window alone; labeler: LabelMaker alone; trainer: trainStep on one pre-decoded batch). CPU "
                + "ms/item: process CPU time over the run (services, the in-process broker and the bench's own "
                + "producer and consumer) per item; 2 cores give at most 2,000 ms per second. Mean batch: images per "
                + "model call, from " + PipelineMetrics.BATCH_SIZE + ". Bias: records between its first and last "
                + "committed estimate (one per window bucket), known from the same window run directly.");
        notes.stream().distinct().forEach(note -> out.println("Note: " + note + "."));
        modelBusy.forEach((mode, share) -> out.printf(
                java.util.Locale.ROOT,
                "Scorer model busy (%s backlog): %.0f%% of the run's wall-clock time in model calls (%s).%n",
                mode,
                100 * share,
                PipelineMetrics.MODEL_BUSY));
        if (!latencyRows.isEmpty()) {
            out.printf(
                    "%nLatency at load: scorer (global-only), bias and labeler running; images sent at a steady rate "
                            + "for %ds; latency from an image's send to its label readable read_committed; "
                            + "commit.interval.ms %d, scorer batch %d (flushed after %d ms at the latest)%n",
                    bench.loadDuration().toSeconds(),
                    commitIntervalMs,
                    batch(),
                    ScorerSettings.DEFAULTS.maxWait().toMillis());
            out.println(
                    "| load (of scorer backlog rate) | offered images/s | images | p50 ms | p90 ms | p99 ms | max ms |"
                            + " target p99 ms |");
            out.println("|---:|---:|---:|---:|---:|---:|---:|---:|");
            double batchMs = rows.stream()
                    .filter(r -> r.stage().equals("scorer")
                            && r.mode().equals("global")
                            && r.path().startsWith("direct (decode"))
                    .findFirst()
                    .map(r -> batch() / r.perSecond() * 1000)
                    .orElse(Double.NaN);
            for (LatencyRow row : latencyRows) {
                out.printf(
                        "| %.0f%% | %s | %d | %d | %d | %d | %d | %s |%n",
                        row.share() * 100,
                        figure(row.offered()),
                        row.images(),
                        percentile(row.latencies(), 0.5),
                        percentile(row.latencies(), 0.9),
                        percentile(row.latencies(), 0.99),
                        row.latencies()[row.latencies().length - 1],
                        figure(3 * commitIntervalMs + batchMs));
            }
            out.println("\nTarget p99: 3 commit intervals plus one batch's model time (decode + model, direct).");
        }
        if (profile != null) {
            out.printf(
                    "%nWhere the time goes: JDK Flight Recorder over the backlog runs above (%d CPU samples, every "
                            + "10 ms per thread; recording %s). Samples in Java code, and in native code under DJL "
                            + "or RocksDB; PyTorch's own threads are invisible to it, so the model's share is a floor.%n",
                    profile.samples(), profileFile);
            profile.print(out);
        }
        if (!scalingRows.isEmpty()) {
            out.printf(
                    "%nThreads and instances: topics with 2 partitions, the same backlogs (%d images, %d score "
                            + "records); instances in this process, each with its own state directory%n",
                    bench.images(), bench.records());
            out.println("| service | layout | items | items/s | CPU ms/item |");
            out.println("|---|---|---:|---:|---:|");
            for (ScalingRow row : scalingRows) {
                out.printf(
                        "| %s | %s | %d | %s | %s |%n",
                        row.service(), row.layout(), row.items(), figure(row.perSecond()), figure(row.cpuMsPerItem()));
            }
        }
    }

    private int order(Row row) {
        List<String> stages = List.of("scorer", "bias", "labeler", "trainer");
        List<String> modes = rows.stream().map(Row::mode).distinct().toList();
        int path = row.path().equals("kafka") ? 9 : row.path().contains("model alone") ? 1 : 0;
        return stages.indexOf(row.stage()) * 10_000 + modes.indexOf(row.mode()) * 10 + path;
    }

    private String ratio(Row row) {
        if (!row.path().equals("kafka")) {
            return "-";
        }
        return rows.stream()
                .filter(r -> r.path().startsWith("direct")
                        && !r.path().contains("model alone")
                        && r.stage().equals(row.stage())
                        && r.mode().equals(row.mode()))
                .findFirst()
                .map(direct -> figure(row.perSecond() / direct.perSecond()))
                .orElse("-");
    }

    private static long percentile(long[] sorted, double quantile) {
        int rank = (int) Math.ceil(quantile * sorted.length);
        return sorted[Math.max(0, rank - 1)];
    }

    /** About three significant digits without an exponent; NaN (not applicable) as a dash. */
    static String figure(double value) {
        if (Double.isNaN(value) || Double.isInfinite(value)) {
            return "-";
        }
        return value >= 100
                ? String.format(Locale.ROOT, "%.0f", value)
                : value >= 1 ? String.format(Locale.ROOT, "%.2f", value) : String.format(Locale.ROOT, "%.3g", value);
    }
}
