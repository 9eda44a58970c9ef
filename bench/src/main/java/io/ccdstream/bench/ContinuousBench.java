package io.ccdstream.bench;

import io.ccdstream.bench.ContinuousObservations.Arrival;
import io.ccdstream.bench.ContinuousObservations.ScoresSeen;
import io.ccdstream.bench.ContinuousReport.CheckpointRow;
import io.ccdstream.data.ImageRecords;
import io.ccdstream.data.synth.SynthClass;
import io.ccdstream.data.synth.SynthScene;
import io.ccdstream.data.synth.SynthScenes;
import io.ccdstream.embedded.EmbeddedRuntime;
import io.ccdstream.method.image.ImageDecoder;
import io.ccdstream.method.image.RgbImage;
import io.ccdstream.method.metrics.MeanAveragePrecision;
import io.ccdstream.models.classifier.Classifier;
import io.ccdstream.schemas.Checkpoint;
import io.ccdstream.schemas.ClassSetKey;
import io.ccdstream.schemas.ImageKey;
import io.ccdstream.schemas.Label;
import io.ccdstream.schemas.Scores;
import io.ccdstream.streams.CcdStreamsConfig;
import io.ccdstream.streams.pipeline.Pipeline;
import io.ccdstream.streams.pipeline.PipelineConfig;
import io.ccdstream.streams.pipeline.PipelineSettings;
import io.ccdstream.streams.scorer.CheckpointFetcher;
import io.ccdstream.topics.CcdTopics;
import io.ccdstream.topics.ImageProducer;
import io.ccdstream.topics.OutputWatcher;
import io.ccdstream.topics.RegistrySerdes;
import io.ccdstream.trainer.TrainerConfig;
import io.ccdstream.trainer.TrainerService;
import io.ccdstream.trainer.Trainers;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.TopicPartition;

/**
 * Incremental retraining as a user sees it: SynthScenes images streamed at a rate for a set time
 * through the whole pipeline in this process (embedded broker and registry; scorer, bias, labeler
 * and trainer with the demo's settings), every label, scores and checkpoint record read back while
 * the run lasts, then scored against the ground truth of the images sent; each checkpoint's
 * classifier is also evaluated on held-out images that never went through the pipeline.
 */
public final class ContinuousBench {

    /** The demo's partitions per topic ({@code ccd demo}). */
    private static final int PARTITIONS = 4;
    /** Quiet time after the last label record before the drain ends early. */
    private static final Duration SETTLE = Duration.ofSeconds(5);

    private static final Duration PROGRESS_EVERY = Duration.ofSeconds(30);
    private static final Duration FLUSH_EVERY = Duration.ofSeconds(1);

    /**
     * What to run.
     *
     * @param scenes          the generator of the streamed images (its seed, world and size)
     * @param heldOutImages   images of seed + 1 the checkpoints are evaluated on
     * @param rate            images per second
     * @param duration        how long images are sent
     * @param drain           longest wait afterwards for the last labels
     * @param windows         arrival windows of the report
     * @param resamples       bootstrap resamples per interval
     * @param pipeline        the labelling settings
     * @param settings        every setting given (cluster, labelling, trainer keys), as {@code ccd demo} takes them
     * @param trainerSettings the trainer settings: the demo's, then those given
     * @param commandLine     the command line, for the report
     */
    public record Settings(
            SynthScenes scenes,
            int heldOutImages,
            double rate,
            Duration duration,
            Duration drain,
            int windows,
            int resamples,
            PipelineConfig pipeline,
            Map<String, Object> settings,
            Map<String, Object> trainerSettings,
            String commandLine) {

        /** Validates the figures. */
        public Settings {
            if (!(rate > 0) || duration.isNegative() || duration.isZero() || drain.isNegative()) {
                throw new IllegalArgumentException(
                        "the rate and the duration must be positive, the drain not negative");
            }
            if (heldOutImages < 1 || windows < 1 || resamples < 0) {
                throw new IllegalArgumentException(
                        "held-out images and windows must be positive, resamples not negative");
            }
            settings = Map.copyOf(settings);
            trainerSettings = Map.copyOf(trainerSettings);
        }
    }

    private final Settings bench;
    private final PrintStream out;

    /** A benchmark of {@code settings} printing its progress to {@code out}. */
    public ContinuousBench(Settings settings, PrintStream out) {
        this.bench = settings;
        this.out = out;
    }

    /**
     * Runs the stream, then scores it.
     *
     * @param workDir model, broker, state and checkpoints; null for a temporary directory, deleted at the end.
     *     Must be empty or absent: the report reads the topics from their beginning.
     */
    public ContinuousReport run(Path workDir) throws Exception {
        if (workDir != null && Files.isDirectory(workDir)) {
            try (var entries = Files.list(workDir)) {
                if (entries.findAny().isPresent()) {
                    throw new IllegalArgumentException("--work-dir " + workDir + " is not empty");
                }
            }
        }
        Path work = workDir != null ? workDir : Files.createTempDirectory("ccd-bench-continuous-");
        try {
            return runIn(work);
        } finally {
            if (workDir == null) {
                WorkDirs.deleteTree(work);
            }
        }
    }

    private ContinuousReport runIn(Path work) throws Exception {
        Instant date = Instant.now().truncatedTo(ChronoUnit.SECONDS);
        long started = System.nanoTime();
        SynthScenes scenes = bench.scenes();
        PipelineSettings settings = bench.pipeline().settings(work, SynthClass.names());
        Map<String, Object> trainerSettings = new HashMap<>(bench.trainerSettings());
        trainerSettings.putIfAbsent(
                TrainerConfig.CLAIM_CHECK_MAX_BYTES, settings.claimChecks().maxFetchBytes());
        out.printf(
                Locale.ROOT,
                "Continuous benchmark: SynthScenes %s, seed %d, %d px, %.1f images/s for %s, CLIP %s, %d classes, %s%n",
                scenes.world().id(),
                scenes.seed(),
                scenes.size(),
                bench.rate(),
                bench.duration(),
                settings.classSet().modelId(),
                settings.classSet().size(),
                QualityReport.Machine.current());
        Stream stream;
        try (EmbeddedRuntime runtime = EmbeddedRuntime.start(work.resolve("cluster"), 0, 0, PARTITIONS)) {
            Map<String, Object> cluster = new HashMap<>(bench.settings());
            cluster.put(CcdStreamsConfig.BOOTSTRAP_SERVERS, runtime.bootstrapServers());
            cluster.put(CcdStreamsConfig.SCHEMA_REGISTRY_URL, runtime.registryUrl());
            cluster.putIfAbsent(
                    CcdStreamsConfig.STATE_DIR, work.resolve("streams").toString());
            CcdStreamsConfig config = new CcdStreamsConfig(cluster);
            RegistrySerdes serdes = new RegistrySerdes(config.serdeSettings());
            Collector collector = new Collector(runtime.bootstrapServers(), serdes, work.resolve("fetched"));
            try (collector;
                    Pipeline pipeline = Pipeline.start(config, settings, List.of(Pipeline.Service.values()));
                    ImageProducer ingest = new ImageProducer(runtime.bootstrapServers(), serdes);
                    TrainerService trainer = Trainers.start(
                            runtime.bootstrapServers(),
                            runtime.registryUrl(),
                            settings.classSet(),
                            settings.claimChecks(),
                            settings.refinesWithCam(),
                            work.resolve("trainer"),
                            trainerSettings,
                            pipeline.metrics())) {
                collector.start();
                stream = stream(scenes, settings.classSet().id(), ingest, collector, pipeline, trainer);
            }
            stream.collected = collector.observations(stream.arrivals);
            stream.fetched = Map.copyOf(collector.fetched);
        }
        Map<Long, Double> trueMap = evaluate(
                stream.fetched,
                stream.collected.checkpoints(),
                settings.classSet().classNames());
        out.println("Scoring the labels against the ground truth ...");
        ContinuousAnalysis analysis = new ContinuousAnalysis(stream.collected, new Bootstrap(bench.resamples(), 1));
        List<CheckpointRow> checkpoints = analysis.checkpoints(trueMap);
        return new ContinuousReport(
                bench.commandLine(),
                date.toString(),
                QualityReport.Machine.current(),
                scenes.world().id(),
                scenes.seed(),
                scenes.size(),
                bench.rate(),
                stream.streamSeconds,
                stream.drainSeconds,
                stream.arrivals.size(),
                analysis.labelledImages(),
                bench.heldOutImages(),
                bench.resamples(),
                ContinuousAnalysis.text(bench.trainerSettings()),
                settings.classSet().modelId(),
                settings.classSet().classNames(),
                analysis.summary(),
                analysis.byVersion(),
                analysis.windows(bench.windows()),
                analysis.latestByVersion(),
                analysis.rescoring(),
                checkpoints,
                ContinuousAnalysis.correlation(checkpoints),
                analysis.latency(checkpoints),
                (System.nanoTime() - started) / 1e9);
    }

    /** What the stream sent and how long it took. */
    private static final class Stream {
        final List<Arrival> arrivals = new ArrayList<>();
        double streamSeconds;
        double drainSeconds;
        ContinuousObservations collected;
        Map<Long, Path> fetched;
    }

    /** Sends images at the rate for the duration, then waits for their labels. */
    private Stream stream(
            SynthScenes scenes,
            String classSetId,
            ImageProducer ingest,
            Collector collector,
            Pipeline pipeline,
            TrainerService trainer) {
        Stream stream = new Stream();
        List<String> names = SynthClass.names();
        Map<String, Future<RecordMetadata>> unconfirmed = new LinkedHashMap<>();
        Map<String, boolean[]> truth = new HashMap<>();
        long start = System.nanoTime();
        long end = start + bench.duration().toNanos();
        long interval = (long) (1e9 / bench.rate());
        long next = start;
        long nextFlush = start + FLUSH_EVERY.toNanos();
        long nextReport = start + PROGRESS_EVERY.toNanos();
        int index = 0;
        while (System.nanoTime() < end) {
            check(pipeline, trainer);
            long now = System.nanoTime();
            if (now >= next) {
                SynthScene scene = scenes.generate(index++);
                boolean[] positives = new boolean[names.size()];
                scene.labels().forEach(label -> positives[names.indexOf(label)] = true);
                truth.put(scene.id(), positives);
                unconfirmed.put(scene.id(), ingest.send(ImageRecords.synth(scene, classSetId)));
                next += interval;
            }
            if (now >= nextFlush) {
                confirm(ingest, unconfirmed, truth, stream.arrivals);
                nextFlush = now + FLUSH_EVERY.toNanos();
            }
            if (now >= nextReport) {
                progress("streaming", index, collector, trainer);
                nextReport = now + PROGRESS_EVERY.toNanos();
            }
            LockSupport.parkNanos(Math.max(0, Math.min(next, nextFlush) - System.nanoTime()));
        }
        confirm(ingest, unconfirmed, truth, stream.arrivals);
        long streamed = System.nanoTime();
        stream.streamSeconds = (streamed - start) / 1e9;
        out.printf(Locale.ROOT, "Sent %d images in %.0f s; waiting for their labels%n", index, stream.streamSeconds);
        long drainEnd = streamed + bench.drain().toNanos();
        while (System.nanoTime() < drainEnd && !(collector.labelledImages() >= index && collector.quietFor(SETTLE))) {
            check(pipeline, trainer);
            LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(200));
            if (System.nanoTime() >= nextReport) {
                progress("draining", index, collector, trainer);
                nextReport = System.nanoTime() + PROGRESS_EVERY.toNanos();
            }
        }
        stream.drainSeconds = (System.nanoTime() - streamed) / 1e9;
        progress("done", index, collector, trainer);
        return stream;
    }

    /** Waits for the sends so far and records each image with its record's timestamp. */
    private static void confirm(
            ImageProducer ingest,
            Map<String, Future<RecordMetadata>> unconfirmed,
            Map<String, boolean[]> truth,
            List<Arrival> arrivals) {
        ingest.flush();
        unconfirmed.forEach((id, sent) -> {
            try {
                arrivals.add(new Arrival(id, truth.remove(id), sent.get().timestamp()));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while confirming sends", e);
            } catch (ExecutionException e) {
                throw new IllegalStateException("image " + id + " was not sent", e.getCause());
            }
        });
        unconfirmed.clear();
    }

    private static void check(Pipeline pipeline, TrainerService trainer) {
        if (!pipeline.isAlive()) {
            throw new IllegalStateException(
                    "a service failed", pipeline.failure().orElse(null));
        }
        if (!trainer.isAlive()) {
            throw new IllegalStateException(
                    "the trainer failed", trainer.failure().orElse(null));
        }
    }

    private void progress(String what, int sent, Collector collector, TrainerService trainer) {
        out.printf(
                Locale.ROOT,
                "  %s: sent %d, labelled %d, label records %d, scores records %d (re-scores with a better checkpoint %d),"
                        + " checkpoints %d; trainer %s%n",
                what,
                sent,
                collector.labelledImages(),
                collector.labelRecords.get(),
                collector.scores.size(),
                collector.scores.stream().filter(s -> s.rescoredFrom() != null).count(),
                collector.checkpoints.size(),
                trainer.status().summary());
    }

    /** Each fetched checkpoint's classifier on the held-out images: mAP (%) by version. */
    private Map<Long, Double> evaluate(Map<Long, Path> fetched, List<Checkpoint> published, List<String> classNames)
            throws Exception {
        Map<Long, String> sha256 = new HashMap<>();
        published.forEach(c -> sha256.put(c.getVersion(), c.getSha256()));
        BenchImages images = BenchImages.synthScenes(
                bench.scenes().seed(), bench.scenes().world(), bench.scenes().size(), 0, bench.heldOutImages());
        out.printf(
                "Evaluating %d checkpoints on %d held-out images (seed %d) ...%n",
                fetched.size(), images.heldOut().size(), bench.scenes().seed() + 1);
        ImageDecoder decoder = ImageDecoder.builder().build();
        List<RgbImage> pixels = new ArrayList<>();
        boolean[][] truth = new boolean[images.heldOut().size()][];
        for (int i = 0; i < truth.length; i++) {
            BenchImages.BenchImage image = images.heldOut().get(i);
            pixels.add(decoder.decode(image.read(), image.contentType()).image());
            truth[i] = image.truth();
        }
        Map<Long, Double> maps = new HashMap<>();
        for (var checkpoint : new TreeMap<>(fetched).entrySet()) {
            try (Classifier classifier =
                    Classifier.load(checkpoint.getValue(), sha256.get(checkpoint.getKey()), classNames)) {
                maps.put(
                        checkpoint.getKey(),
                        MeanAveragePrecision.of(classifier.predict(pixels), truth)
                                .map());
            }
        }
        return maps;
    }

    /**
     * Reads ccd.labels, ccd.scores and ccd.checkpoints from their beginning (read_committed) on a
     * thread of its own while the run lasts, and fetches each checkpoint as it appears.
     */
    private final class Collector implements AutoCloseable {

        private final KafkaConsumer<ImageKey, Label> labelConsumer;
        private final KafkaConsumer<ImageKey, Scores> scoresConsumer;
        private final KafkaConsumer<ClassSetKey, Checkpoint> checkpointConsumer;
        private final CheckpointFetcher fetcher;
        private final Map<String, List<Label>> labels = new ConcurrentHashMap<>();
        private final AtomicLong labelRecords = new AtomicLong();
        private final List<ScoresSeen> scores = new CopyOnWriteArrayList<>();
        private final List<Checkpoint> checkpoints = new CopyOnWriteArrayList<>();
        private final Map<Long, Path> fetched = new ConcurrentHashMap<>();
        private final Thread thread = new Thread(this::loop, "ccd-bench-continuous-collector");
        private volatile boolean running = true;
        private volatile long lastLabel = System.nanoTime();
        private volatile Throwable failure;

        Collector(String bootstrapServers, RegistrySerdes serdes, Path fetchDir) {
            labelConsumer = OutputWatcher.consumer(bootstrapServers, CcdTopics.LABELS, serdes);
            scoresConsumer = OutputWatcher.consumer(bootstrapServers, CcdTopics.SCORES, serdes);
            checkpointConsumer = OutputWatcher.consumer(bootstrapServers, CcdTopics.CHECKPOINTS, serdes);
            fromBeginning(labelConsumer, CcdTopics.LABELS.name());
            fromBeginning(scoresConsumer, CcdTopics.SCORES.name());
            fromBeginning(checkpointConsumer, CcdTopics.CHECKPOINTS.name());
            fetcher = new CheckpointFetcher(fetchDir, Duration.ofSeconds(60));
            thread.setDaemon(true);
        }

        private static void fromBeginning(KafkaConsumer<?, ?> consumer, String topic) {
            List<TopicPartition> partitions = consumer.partitionsFor(topic, Duration.ofSeconds(30)).stream()
                    .map(info -> new TopicPartition(topic, info.partition()))
                    .toList();
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
        }

        void start() {
            thread.start();
        }

        private void loop() {
            try {
                while (running) {
                    poll(Duration.ofMillis(100));
                }
                // what was committed before the services stopped
                poll(Duration.ofMillis(500));
            } catch (Throwable e) {
                failure = e;
            }
        }

        private void poll(Duration timeout) throws IOException {
            for (ConsumerRecord<ImageKey, Label> record : labelConsumer.poll(timeout)) {
                labels.computeIfAbsent(record.key().getImageId(), id -> Collections.synchronizedList(new ArrayList<>()))
                        .add(record.value());
                labelRecords.incrementAndGet();
                lastLabel = System.nanoTime();
            }
            for (ConsumerRecord<ImageKey, Scores> record : scoresConsumer.poll(timeout)) {
                Scores value = record.value();
                scores.add(new ScoresSeen(
                        value.getImageId(), value.getCheckpointVersion(), value.getRescore(), value.getRescoredFrom()));
            }
            for (ConsumerRecord<ClassSetKey, Checkpoint> record : checkpointConsumer.poll(timeout)) {
                Checkpoint checkpoint = record.value();
                checkpoints.add(checkpoint);
                if (!fetched.containsKey(checkpoint.getVersion())) {
                    try {
                        fetched.put(checkpoint.getVersion(), fetcher.fetch(checkpoint));
                    } catch (IOException e) {
                        out.printf("  checkpoint v%d not fetched: %s%n", checkpoint.getVersion(), e.getMessage());
                    }
                }
            }
        }

        int labelledImages() {
            return labels.size();
        }

        boolean quietFor(Duration quiet) {
            return System.nanoTime() - lastLabel > quiet.toNanos();
        }

        /** What was read, once the thread has stopped. */
        ContinuousObservations observations(List<Arrival> arrivals) {
            if (thread.isAlive()) {
                throw new IllegalStateException("the collector still runs");
            }
            if (failure != null) {
                throw new IllegalStateException("reading the pipeline's output failed", failure);
            }
            Map<String, List<Label>> copy = new HashMap<>();
            labels.forEach((id, list) -> copy.put(id, List.copyOf(list)));
            return new ContinuousObservations(
                    List.copyOf(arrivals), copy, List.copyOf(scores), List.copyOf(checkpoints));
        }

        @Override
        public void close() throws InterruptedException {
            running = false;
            thread.join(TimeUnit.SECONDS.toMillis(30));
            labelConsumer.close();
            scoresConsumer.close();
            checkpointConsumer.close();
        }
    }
}
