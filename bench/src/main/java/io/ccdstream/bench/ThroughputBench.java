package io.ccdstream.bench;

import io.ccdstream.data.ImageRecords;
import io.ccdstream.data.synth.SynthClass;
import io.ccdstream.data.synth.SynthScene;
import io.ccdstream.data.synth.SynthScenes;
import io.ccdstream.embedded.EmbeddedRuntime;
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
import io.ccdstream.schemas.Checkpoint;
import io.ccdstream.schemas.CheckpointMetrics;
import io.ccdstream.schemas.CheckpointPhase;
import io.ccdstream.schemas.ImageKey;
import io.ccdstream.schemas.Label;
import io.ccdstream.schemas.Scores;
import io.ccdstream.streams.CcdStreamsConfig;
import io.ccdstream.streams.labeler.LabelMaker;
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
import io.ccdstream.topics.RegistrySerdes;
import io.ccdstream.trainer.TrainerConfig;
import io.ccdstream.trainer.TrainerService;
import io.ccdstream.trainer.TrainerStatus;
import io.ccdstream.trainer.Trainers;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Function;
import java.util.stream.IntStream;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;

/**
 * Scorer, labeler and trainer through Kafka and called directly, side by side in one run on the
 * same items at the same batch size: items/s, p50/p99 latency, and the kafka/direct ratio.
 */
public final class ThroughputBench {

    private static final int TRAIN_BATCH = 16;
    private static final Duration NO_BACKFILL = Duration.ofDays(1);

    /** One measured path of one stage and mode. */
    private record Row(String stage, String mode, String path, int batch, Timing timing, double clipPerItem) {}

    /**
     * What to measure.
     *
     * @param images       images (and score records) measured per mode and path
     * @param inFlight     most items awaiting their Kafka output at a time; 0 means twice the batch size
     * @param trainerSteps trainer steps measured per mode
     * @param batchSize    scorer and direct batch size
     * @param timeout      longest wait for one Kafka run
     * @param scenes       the SynthScenes generator of the images
     * @param imageSize    the side of those images
     * @param pipeline     the labelling settings (model, class set, ...)
     */
    public record Settings(
            int images,
            int inFlight,
            int trainerSteps,
            int batchSize,
            Duration timeout,
            SynthScenes scenes,
            int imageSize,
            PipelineConfig pipeline) {

        /** Validates the counts. */
        public Settings {
            if (images < 1 || batchSize < 1 || trainerSteps < 1) {
                throw new IllegalArgumentException("images, batch size and trainer steps must be positive");
            }
        }
    }

    private final Settings bench;
    private final PrintStream out;
    private final List<Row> rows = new ArrayList<>();

    /** A benchmark of {@code settings} printing to {@code out}. */
    public ThroughputBench(Settings settings, PrintStream out) {
        this.bench = settings;
        this.out = out;
    }

    /**
     * Runs every measurement and prints the table.
     *
     * @param workDir model, broker and state directory; null for a temporary one, deleted at the end
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
        List<SynthScene> scenes = IntStream.range(0, bench.images())
                .mapToObj(bench.scenes()::generate)
                .toList();
        Path file = work.resolve("classifier.ckpt");
        try (Classifier classifier = Classifier.create(ClassifierConfig.builder()
                .setClassNames(settings.classSet().classNames())
                .optInputSize(bench.imageSize())
                .build())) {
            Checkpoint checkpoint = checkpoint(settings.classSet().id(), classifier, file);
            Map<String, Map<String, Scores>> scores;
            List<ScoredImage> global;
            try (EmbeddedRuntime runtime = EmbeddedRuntime.start(work, 0, 0, 1)) {
                CcdStreamsConfig config =
                        CcdStreamsConfig.of(runtime.bootstrapServers(), runtime.registryUrl(), work.resolve("streams"));
                scores = scoreThroughKafka(config, settings, scenes, checkpoint, work);
                global = scoreDirectly(settings, decode(scenes), checkpoint, file);
                labelThroughKafka(config, settings, scores);
                labelDirectly(settings, scores);
                train(classifier, decode(scenes), global);
            }
            trainThroughKafka(work.resolve("trainer-kafka"), settings, scenes, global);
        }
        print(settings);
    }

    private Map<String, Map<String, Scores>> scoreThroughKafka(
            CcdStreamsConfig config,
            PipelineSettings settings,
            List<SynthScene> scenes,
            Checkpoint checkpoint,
            Path work)
            throws Exception {
        RegistrySerdes serdes = new RegistrySerdes(config.serdeSettings());
        String bootstrap = config.bootstrapServers();
        Map<String, Map<String, Scores>> scores = new LinkedHashMap<>();
        try (Pipeline pipeline = Pipeline.start(config, settings, List.of(Pipeline.Service.scorer));
                ImageProducer ingest = new ImageProducer(bootstrap, serdes);
                KafkaRoundTrip<Scores> trip = new KafkaRoundTrip<>(bootstrap, serdes, CcdTopics.SCORES)) {
            scores.put("global", scoreRun(trip, ingest, settings.classSet().id(), scenes, "global"));
            install(pipeline, settings.classSet(), checkpoint, work);
            scores.put("CAM", scoreRun(trip, ingest, settings.classSet().id(), scenes, "CAM"));
        }
        return scores;
    }

    /** A warm-up batch, then every scene under fresh ids; the measured run becomes a row. */
    private Map<String, Scores> scoreRun(
            KafkaRoundTrip<Scores> trip,
            ImageProducer ingest,
            String classSetId,
            List<SynthScene> scenes,
            String mode) {
        Function<String, Map<String, byte[]>> ids = prefix -> idsOf(scenes, prefix, SynthScene::png);
        trip.run(
                List.copyOf(ids.apply("warm-" + mode).keySet()).subList(0, Math.min(batch(), scenes.size())),
                window(),
                id -> ingest.send(ImageRecords.inline(
                        classSetId,
                        id,
                        ids.apply("warm-" + mode).get(id),
                        "image/png",
                        null,
                        ImageRecords.SYNTHSCENES)),
                ingest::flush,
                bench.timeout());
        Map<String, byte[]> pngs = ids.apply(mode);
        KafkaRoundTrip.Result<Scores> result = trip.run(
                List.copyOf(pngs.keySet()),
                window(),
                id -> ingest.send(
                        ImageRecords.inline(classSetId, id, pngs.get(id), "image/png", null, ImageRecords.SYNTHSCENES)),
                ingest::flush,
                bench.timeout());
        rows.add(new Row(
                "scorer",
                mode,
                "kafka",
                batch(),
                result.timing(),
                result.outputs().values().stream()
                        .mapToInt(Scores::getClipInferences)
                        .average()
                        .orElseThrow()));
        return result.outputs();
    }

    private static <T, V> Map<String, V> idsOf(List<T> items, String prefix, Function<T, V> value) {
        Map<String, V> byId = new LinkedHashMap<>();
        for (int i = 0; i < items.size(); i++) {
            byId.put(prefix + "-" + i, value.apply(items.get(i)));
        }
        return byId;
    }

    private int window() {
        return bench.inFlight() > 0 ? bench.inFlight() : 2 * batch();
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

    private static List<RgbImage> decode(List<SynthScene> scenes) {
        ImageDecoder decoder = ImageDecoder.builder().build();
        return scenes.stream().map(scene -> decoder.decode(scene.png()).image()).toList();
    }

    /**
     * Scores global-only, then with CAM crops from the checkpoint loaded as the scorer loads it;
     * returns the global scores.
     */
    private List<ScoredImage> scoreDirectly(
            PipelineSettings settings, List<RgbImage> pixels, Checkpoint checkpoint, Path file) throws Exception {
        ClassSet classSet = settings.classSet();
        try (ClipModel clip = ClipModel.load(settings.modelDir());
                Classifier classifier = Classifier.load(file, checkpoint.getSha256(), classSet.classNames())) {
            CcdImageScorer scorer = new CcdImageScorer(clip, settings.refinement());
            List<ScoredImage> global = scoreDirectly("global", pixels, batch -> scorer.scoreGlobal(classSet, batch));
            scoreDirectly("CAM", pixels, batch -> scorer.scoreRefined(classSet, batch, classifier));
            return global;
        }
    }

    private List<ScoredImage> scoreDirectly(
            String mode, List<RgbImage> pixels, Function<List<RgbImage>, List<ScoredImage>> score) {
        score.apply(pixels.subList(0, Math.min(batch(), pixels.size())));
        List<ScoredImage> scored = new ArrayList<>();
        Timing timing = Timing.ofBatches(pixels, batch(), batch -> scored.addAll(score.apply(batch)));
        rows.add(new Row(
                "scorer",
                mode,
                "direct",
                batch(),
                timing,
                scored.stream().mapToInt(ScoredImage::clipInferences).average().orElseThrow()));
        return scored;
    }

    /** Re-sends the scorer's records under fresh ids to a labeler-only pipeline. */
    private void labelThroughKafka(
            CcdStreamsConfig config, PipelineSettings settings, Map<String, Map<String, Scores>> scores)
            throws Exception {
        RegistrySerdes serdes = new RegistrySerdes(config.serdeSettings());
        String bootstrap = config.bootstrapServers();
        try (Pipeline pipeline = Pipeline.start(config, settings, List.of(Pipeline.Service.labeler));
                KafkaProducer<ImageKey, Scores> producer = new KafkaProducer<>(
                        Map.of(
                                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG,
                                bootstrap,
                                ProducerConfig.ACKS_CONFIG,
                                "all",
                                ProducerConfig.LINGER_MS_CONFIG,
                                5),
                        CcdTopics.SCORES.keySerde(serdes).serializer(),
                        CcdTopics.SCORES.valueSerde(serdes).serializer());
                KafkaRoundTrip<Label> trip = new KafkaRoundTrip<>(bootstrap, serdes, CcdTopics.LABELS)) {
            for (var mode : scores.entrySet()) {
                for (String prefix : List.of("warm-label-" + mode.getKey(), "label-" + mode.getKey())) {
                    Map<String, Scores> records = idsOf(
                            List.copyOf(mode.getValue().values()),
                            prefix,
                            s -> Scores.newBuilder(s).build());
                    records.forEach((id, record) -> record.setImageId(id));
                    KafkaRoundTrip.Result<Label> result = trip.run(
                            List.copyOf(records.keySet()),
                            window(),
                            id -> producer.send(new ProducerRecord<>(
                                    CcdTopics.SCORES.name(),
                                    new ImageKey(records.get(id).getClassSetId(), id),
                                    records.get(id))),
                            producer::flush,
                            bench.timeout());
                    if (!prefix.startsWith("warm")) {
                        rows.add(new Row("labeler", mode.getKey(), "kafka", 1, result.timing(), Double.NaN));
                    }
                }
            }
        }
    }

    private void labelDirectly(PipelineSettings settings, Map<String, Map<String, Scores>> scores) {
        ClassSet classSet = settings.classSet();
        LabelMaker labels = Pipeline.labelMaker(settings);
        for (var mode : scores.entrySet()) {
            List<Map.Entry<String, Scores>> records =
                    List.copyOf(mode.getValue().entrySet());
            Timing timing = Timing.ofBatches(
                    records,
                    1,
                    batch -> batch.forEach(record -> labels.label(
                            new ImageKey(classSet.id(), record.getKey()), record.getValue(), null, Instant.now())));
            rows.add(new Row("labeler", mode.getKey(), "direct", 1, timing, Double.NaN));
        }
    }

    /** Optimiser steps on the first images with their global scores as targets: warm-up, then refine. */
    private void train(Classifier classifier, List<RgbImage> pixels, List<ScoredImage> global) {
        int size = Math.min(TRAIN_BATCH, pixels.size());
        List<RgbImage> batch = pixels.subList(0, size);
        float[][] targets =
                global.subList(0, size).stream().map(ScoredImage::global).toArray(float[][]::new);
        try (ClassifierTrainer trainer = classifier.newTrainer(
                ClassifierTrainerConfig.builder().optBatchSize(size).build())) {
            for (float beta : new float[] {0f, 1f}) {
                trainer.trainStep(batch, targets, beta);
                Timing timing = Timing.ofBatches(
                        IntStream.range(0, bench.trainerSteps()).boxed().toList(),
                        1,
                        step -> trainer.trainStep(batch, targets, beta));
                rows.add(new Row(
                        "trainer",
                        beta == 0 ? "warm-up (beta 0)" : "consistency (beta 1)",
                        "direct",
                        size,
                        timing,
                        Double.NaN));
            }
        }
    }

    /**
     * The trainer service on a broker of its own: the scenes and labels made from their global
     * scores go in, then the warm-up round (beta 0) and the refinement round on the same labels
     * (beta 1) run as the service runs them, reading the training set it stored from the topics.
     * A step's latency is the time between the service reporting it and the step before; epoch
     * boundaries (the train-label mAP pass) count towards the step after them.
     */
    private void trainThroughKafka(
            Path dir, PipelineSettings settings, List<SynthScene> scenes, List<ScoredImage> global) throws Exception {
        int stepsPerEpoch = (scenes.size() + TRAIN_BATCH - 1) / TRAIN_BATCH;
        int epochs = Math.max(2, (bench.trainerSteps() + stepsPerEpoch - 1) / stepsPerEpoch);
        ClassSet classSet = settings.classSet();
        LabelMaker labels = Pipeline.labelMaker(settings);
        try (EmbeddedRuntime runtime = EmbeddedRuntime.start(dir, 0, 0, 1)) {
            RegistrySerdes serdes = new RegistrySerdes(
                    CcdStreamsConfig.of(runtime.bootstrapServers(), runtime.registryUrl(), dir.resolve("streams"))
                            .serdeSettings());
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
                            .setGlobal(FloatLists.toList(global.get(i).global()))
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
                Map<CheckpointPhase, List<Long>> stepTimes = watchSteps(trainer);
                stepTimes.forEach((phase, times) -> {
                    long[] latencies = new long[times.size() - 1];
                    for (int i = 1; i < times.size(); i++) {
                        latencies[i - 1] = times.get(i) - times.get(i - 1);
                    }
                    rows.add(new Row(
                            "trainer",
                            phase == CheckpointPhase.WARMUP ? "warm-up (beta 0)" : "consistency (beta 1)",
                            "kafka",
                            Math.min(TRAIN_BATCH, scenes.size()),
                            new Timing(latencies, times.get(times.size() - 1) - times.get(0)),
                            Double.NaN));
                });
            }
        }
    }

    /** When each step of the warm-up and refinement rounds was reported, polling the service's status. */
    private Map<CheckpointPhase, List<Long>> watchSteps(TrainerService trainer) {
        Map<CheckpointPhase, List<Long>> times = new EnumMap<>(CheckpointPhase.class);
        long deadline = System.nanoTime() + bench.timeout().toNanos();
        String last = "";
        while (true) {
            TrainerStatus status = trainer.status();
            TrainerStatus.Round round = status.round();
            if (round != null && round.step() > 0) {
                String key = round.phase() + "/" + round.epoch() + "/" + round.step();
                if (!key.equals(last)) {
                    times.computeIfAbsent(round.phase(), p -> new ArrayList<>()).add(System.nanoTime());
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
        times.values().removeIf(list -> list.size() < 2);
        if (times.size() < 2) {
            throw new IllegalStateException("too few trainer steps observed to time both rounds: " + times.keySet());
        }
        return times;
    }

    private void print(PipelineSettings settings) {
        out.printf(
                "Throughput: CLIP model %s, %d classes, %d px SynthScenes images, %d cores; Kafka: 1 partition, "
                        + "exactly_once_v2, at most %d items in flight; direct: pre-decoded images%n",
                settings.classSet().modelId(),
                settings.classSet().size(),
                bench.imageSize(),
                Runtime.getRuntime().availableProcessors(),
                window());
        out.println("| stage | mode | path | batch | items | items/s | p50 ms | p99 ms | CLIP/image | kafka/direct |");
        out.println("|---|---|---|---:|---:|---:|---:|---:|---:|---:|");
        for (Row row : rows.stream().sorted(rowOrder()).toList()) {
            out.printf(
                    "| %s | %s | %s | %d | %d | %s | %s | %s | %s | %s |%n",
                    row.stage(),
                    row.mode(),
                    row.path(),
                    row.batch(),
                    row.timing().count(),
                    figure(row.timing().perSecond()),
                    figure(row.timing().percentileMs(0.5)),
                    figure(row.timing().percentileMs(0.99)),
                    figure(row.clipPerItem()),
                    ratio(row));
        }
        out.println("\nTrainer kafka rows: the TrainerService fed through topics, a step timed from the one before it "
                + "as the service reports them (epoch ends include its train-label mAP pass); direct rows: trainStep on "
                + "one pre-decoded batch.");
    }

    /** By stage, then mode as first measured, direct before kafka. */
    private Comparator<Row> rowOrder() {
        List<String> stages = List.of("scorer", "labeler", "trainer");
        List<String> modes = rows.stream().map(Row::mode).distinct().toList();
        return Comparator.comparingInt((Row row) -> stages.indexOf(row.stage()))
                .thenComparingInt(row -> modes.indexOf(row.mode()))
                .thenComparing(Row::path);
    }

    private String ratio(Row row) {
        if (!row.path().equals("kafka")) {
            return "-";
        }
        return rows.stream()
                .filter(r -> r.path().equals("direct")
                        && r.stage().equals(row.stage())
                        && r.mode().equals(row.mode()))
                .findFirst()
                .map(direct -> figure(row.timing().perSecond() / direct.timing().perSecond()))
                .orElse("-");
    }

    /** About three significant digits without an exponent; NaN (not applicable) as a dash. */
    private static String figure(double value) {
        if (Double.isNaN(value)) {
            return "-";
        }
        return value >= 100
                ? String.format("%.0f", value)
                : value >= 1 ? String.format("%.2f", value) : String.format("%.3g", value);
    }
}
