package io.ccdstream.bench;

import io.ccdstream.data.ImageRecords;
import io.ccdstream.data.datasets.ObjectBox;
import io.ccdstream.embedded.EmbeddedRuntime;
import io.ccdstream.method.image.ImageDecoder;
import io.ccdstream.method.image.ImageInputException;
import io.ccdstream.method.image.RgbImage;
import io.ccdstream.method.metrics.AveragePrecision;
import io.ccdstream.method.metrics.MeanAveragePrecision;
import io.ccdstream.models.classifier.Classifier;
import io.ccdstream.models.scoring.LocalViews;
import io.ccdstream.schemas.Bias;
import io.ccdstream.schemas.CamBox;
import io.ccdstream.schemas.Checkpoint;
import io.ccdstream.schemas.CheckpointPhase;
import io.ccdstream.schemas.ClassSetKey;
import io.ccdstream.schemas.ImageKey;
import io.ccdstream.schemas.Label;
import io.ccdstream.schemas.LabelStage;
import io.ccdstream.schemas.Scores;
import io.ccdstream.streams.CcdStreamsConfig;
import io.ccdstream.streams.bias.BiasSettings;
import io.ccdstream.streams.labeler.LabelerSettings;
import io.ccdstream.streams.pipeline.Pipeline;
import io.ccdstream.streams.pipeline.PipelineSettings;
import io.ccdstream.streams.scorer.CheckpointFetcher;
import io.ccdstream.streams.scorer.ScorerSettings;
import io.ccdstream.topics.CcdTopics;
import io.ccdstream.topics.DeadLetters;
import io.ccdstream.topics.FloatLists;
import io.ccdstream.topics.ImageProducer;
import io.ccdstream.topics.LabelStages;
import io.ccdstream.topics.OutputWatcher;
import io.ccdstream.topics.RegistrySerdes;
import io.ccdstream.trainer.TrainerConfig;
import io.ccdstream.trainer.TrainerService;
import io.ccdstream.trainer.Trainers;
import java.io.PrintStream;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.BooleanSupplier;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;

/**
 * One row of {@code ccd bench quality}: a fresh embedded broker and registry, the scorer, bias
 * and labeler services configured for the row, the training images sent through them, then the
 * trainer (started once the labels have settled, so that every row's warm-up sees the same input),
 * and finally the refinement round's checkpoint evaluated on the held-out images.
 */
public final class QualityRun {

    /** Quiet time after the last label or bias record before the labels count as settled. */
    private static final Duration SETTLE = Duration.ofSeconds(3);
    /**
     * The labeler applies a small last bias move after this; with its 1 s checks the labels carry
     * the newest bias within a few seconds of it, and the trainer starts only then.
     */
    private static final Duration RELABEL_SETTLE = Duration.ofSeconds(2);

    private static final Duration PROGRESS_EVERY = Duration.ofSeconds(15);
    private static final int PARTITIONS = 2;
    private static final int EVAL_BATCH = 32;
    /** The backfill refines a batch per interval; 5 per second so that the refinement waits less. */
    private static final Duration BACKFILL_INTERVAL = Duration.ofMillis(200);

    private final BenchImages images;
    private final PipelineSettings base;
    private final Map<String, Object> trainerSettings;
    private final Duration timeout;
    private final PrintStream out;

    /**
     * @param images          the training and held-out images
     * @param base            the pipeline settings every row starts from
     * @param trainerSettings trainer settings every row shares, applied before the row's own
     * @param timeout         longest a row may wait for its labels, then for its refinement checkpoint
     */
    public QualityRun(
            BenchImages images,
            PipelineSettings base,
            Map<String, Object> trainerSettings,
            Duration timeout,
            PrintStream out) {
        this.images = images;
        this.base = base;
        this.trainerSettings = Map.copyOf(trainerSettings);
        this.timeout = timeout;
        this.out = out;
    }

    /** The pipeline settings of {@code row}. */
    public PipelineSettings settings(Ablation row) {
        int n = images.train().size();
        return base.withRefinement(base.refinement().withLocalViews(row.localViews()))
                .withLabeler(new LabelerSettings(
                                Duration.ofSeconds(1), base.labeler().minBiasChange(), row.debias())
                        .withRelabelSettle(RELABEL_SETTLE)
                        .withNoneThreshold(base.labeler().noneThreshold()))
                .withAlpha(row.alpha(base.alpha()))
                .withScorer(new ScorerSettings(
                        base.scorer().batchSize(), base.scorer().maxWait(), BACKFILL_INTERVAL))
                .withBias(new BiasSettings(
                        n,
                        Math.min(10, n),
                        Math.max(1, Math.min(base.bias().minSamples(), n / 4)),
                        base.bias().entropyThreshold()));
    }

    /** Runs {@code row} in {@code dir}, which must be empty or absent. */
    public QualityReport.Row run(Ablation row, Path dir) throws Exception {
        long started = System.nanoTime();
        PipelineSettings settings = settings(row);
        try (EmbeddedRuntime runtime = EmbeddedRuntime.start(dir, 0, 0, PARTITIONS)) {
            CcdStreamsConfig config =
                    CcdStreamsConfig.of(runtime.bootstrapServers(), runtime.registryUrl(), dir.resolve("streams"));
            RegistrySerdes serdes = new RegistrySerdes(config.serdeSettings());
            try (Pipeline pipeline = Pipeline.start(config, settings, List.of(Pipeline.Service.values()));
                    Outputs outputs = new Outputs(runtime.bootstrapServers(), serdes, config.deadLetterTopic());
                    ImageProducer ingest = new ImageProducer(runtime.bootstrapServers(), serdes)) {
                for (BenchImages.BenchImage image : images.train()) {
                    ingest.send(ImageRecords.inline(
                            settings.classSet().id(),
                            image.id(),
                            image.read(),
                            image.contentType(),
                            BenchImages.groundTruth(image, images.classNames()),
                            image.source()));
                }
                ingest.flush();
                awaitOutputs(
                        row,
                        "labels",
                        outputs,
                        pipeline,
                        null,
                        () -> outputs.labels.size() + outputs.deadLetters()
                                        >= images.train().size()
                                && outputs.quietFor(SETTLE)
                                && outputs.staleLabels(row.debias()) == 0);
                try (TrainerService trainer = Trainers.start(
                        runtime.bootstrapServers(),
                        runtime.registryUrl(),
                        settings.classSet(),
                        settings.claimChecks(),
                        settings.refinesWithCam(),
                        dir.resolve("trainer"),
                        trainerSettings(row, outputs.trainableLabels()))) {
                    awaitOutputs(
                            row,
                            "refinement checkpoint",
                            outputs,
                            pipeline,
                            trainer,
                            () -> outputs.refineCheckpoint().isPresent());
                    Checkpoint refine = outputs.refineCheckpoint().orElseThrow();
                    Map<String, Label> labels = Map.copyOf(outputs.labels);
                    MeanAveragePrecision heldOut = evaluate(refine, dir.resolve("fetched"), settings);
                    return row(row, labels, outputs, refine, heldOut, (System.nanoTime() - started) / 1e9);
                }
            }
        }
    }

    /** The trainer settings of {@code row}: the shared ones, then what the row fixes (beta, loss, schedule). */
    Map<String, Object> trainerSettings(Ablation row, int labelled) {
        Map<String, Object> settings = new HashMap<>();
        settings.put(TrainerConfig.HTTP_PORT, 0);
        settings.put(
                TrainerConfig.TRAINING_SET_MAX_IMAGES, Math.max(images.train().size(), 1));
        settings.put(TrainerConfig.CONTINUOUS_MIN_NEW_LABELS, Integer.MAX_VALUE);
        settings.putAll(trainerSettings);
        settings.put(TrainerConfig.WARMUP_MIN_IMAGES, Math.max(labelled, 1));
        settings.put(TrainerConfig.REFINE_MIN_REFINED_SHARE, 1.0);
        // a fixed training set evaluated on its own ground-truth split: train on all of it, publish REFINE as it is
        settings.put(TrainerConfig.HELD_OUT_EVERY, 0);
        settings.put(TrainerConfig.CONSISTENCY_BETA, (double) row.beta());
        settings.put(TrainerConfig.LOSS, row.targets().id());
        return settings;
    }

    private void awaitOutputs(
            Ablation row,
            String what,
            Outputs outputs,
            Pipeline pipeline,
            TrainerService trainer,
            BooleanSupplier done) {
        long deadline = System.nanoTime() + timeout.toNanos();
        long nextReport = System.nanoTime() + PROGRESS_EVERY.toNanos();
        while (!done.getAsBoolean()) {
            if (!pipeline.isAlive()) {
                throw new IllegalStateException(
                        row.id() + ": a service failed", pipeline.failure().orElse(null));
            }
            if (trainer != null && !trainer.isAlive()) {
                throw new IllegalStateException(
                        row.id() + ": the trainer failed", trainer.failure().orElse(null));
            }
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException(String.format(
                        Locale.ROOT, "%s: no %s within %s (%s)", row.id(), what, timeout, progress(outputs, trainer)));
            }
            outputs.poll(Duration.ofMillis(200));
            if (System.nanoTime() > nextReport) {
                out.printf(Locale.ROOT, "  %s: waiting for %s; %s%n", row.id(), what, progress(outputs, trainer));
                nextReport = System.nanoTime() + PROGRESS_EVERY.toNanos();
            }
        }
    }

    private String progress(Outputs outputs, TrainerService trainer) {
        long refined = outputs.labels.values().stream()
                .filter(l -> l.getStage() == LabelStage.REFINED)
                .count();
        long examined =
                outputs.labels.values().stream().filter(LabelStages::isFinal).count();
        return String.format(
                Locale.ROOT,
                "labels %d/%d (final %d, refined %d; bias %s, %d labels with an older one), dead letters %d%s",
                outputs.labels.size(),
                images.train().size(),
                examined,
                refined,
                outputs.bias == null ? "none" : "v" + outputs.bias.getVersion(),
                outputs.staleLabels(true),
                outputs.deadLetters(),
                trainer == null ? "" : "; trainer " + trainer.status().summary());
    }

    /** The classifier of {@code checkpoint} on the held-out images, decoded and predicted a batch at a time. */
    private MeanAveragePrecision evaluate(Checkpoint checkpoint, Path fetchDir, PipelineSettings settings)
            throws Exception {
        ImageDecoder decoder = ImageDecoder.builder().build();
        List<float[]> scores = new ArrayList<>();
        List<boolean[]> truth = new ArrayList<>();
        CheckpointFetcher fetcher = new CheckpointFetcher(fetchDir, Duration.ofSeconds(60));
        try (Classifier classifier = Classifier.load(
                fetcher.fetch(checkpoint),
                checkpoint.getSha256(),
                settings.classSet().classNames())) {
            List<RgbImage> batch = new ArrayList<>();
            for (BenchImages.BenchImage image : images.heldOut()) {
                try {
                    batch.add(decoder.decode(image.read(), image.contentType()).image());
                    truth.add(image.truth());
                } catch (ImageInputException e) {
                    out.printf("  held-out image %s skipped: %s%n", image.id(), e.getMessage());
                }
                if (batch.size() == EVAL_BATCH) {
                    scores.addAll(Arrays.asList(classifier.predict(batch)));
                    batch.clear();
                }
            }
            if (!batch.isEmpty()) {
                scores.addAll(Arrays.asList(classifier.predict(batch)));
            }
        }
        return MeanAveragePrecision.of(scores.toArray(float[][]::new), truth.toArray(boolean[][]::new));
    }

    private QualityReport.Row row(
            Ablation row,
            Map<String, Label> labels,
            Outputs outputs,
            Checkpoint refine,
            MeanAveragePrecision heldOut,
            double seconds) {
        List<float[]> global = new ArrayList<>();
        List<float[]> finals = new ArrayList<>();
        List<boolean[]> truth = new ArrayList<>();
        long inferences = 0;
        for (BenchImages.BenchImage image : images.train()) {
            Label label = labels.get(image.id());
            if (label != null) {
                global.add(FloatLists.toArray(label.getGlobal()));
                finals.add(FloatLists.toArray(label.getScores()));
                truth.add(image.truth());
                inferences += label.getClipInferences();
            }
        }
        boolean[][] positives = truth.toArray(boolean[][]::new);
        MeanAveragePrecision initial = MeanAveragePrecision.of(global.toArray(float[][]::new), positives);
        MeanAveragePrecision trained = MeanAveragePrecision.of(finals.toArray(float[][]::new), positives);
        Bias bias = outputs.bias;
        return new QualityReport.Row(
                row.id(),
                row.title(),
                row.labelUpdate(),
                row.debias(),
                row.beta(),
                row.localViews().name(),
                labels.size(),
                outputs.deadLetters(),
                initial.map(),
                trained.map(),
                heldOut.map(),
                labels.isEmpty() ? 0 : (double) inferences / labels.size(),
                refine.getVersion(),
                refine.getMetrics().getEpochs(),
                refine.getMetrics().getTrainLabelMap(),
                boxed(trained.perClass()),
                boxed(heldOut.perClass()),
                bias == null ? null : List.copyOf(bias.getBias()),
                bias == null ? null : bias.getVersion(),
                row.paperVoc2012(),
                seconds,
                noneImages(labels),
                row.localViews() == LocalViews.CAM ? localisation(outputs) : null);
    }

    /** How the labels find the training images without any class (ground truth empty). */
    private QualityReport.NoneImages noneImages(Map<String, Label> labels) {
        List<Double> lowestFirst = new ArrayList<>();
        List<Boolean> none = new ArrayList<>();
        int flagged = 0;
        int flaggedNone = 0;
        for (BenchImages.BenchImage image : images.train()) {
            Label label = labels.get(image.id());
            if (label == null) {
                continue;
            }
            boolean empty = true;
            for (boolean t : image.truth()) {
                empty &= !t;
            }
            double top = label.getGlobal().stream()
                    .mapToDouble(Float::doubleValue)
                    .max()
                    .orElse(0);
            lowestFirst.add(-top);
            none.add(empty);
            if (label.getNone()) {
                flagged++;
                flaggedNone += empty ? 1 : 0;
            }
        }
        boolean[] positives = new boolean[none.size()];
        for (int i = 0; i < positives.length; i++) {
            positives[i] = none.get(i);
        }
        double ap = AveragePrecision.of(
                lowestFirst.stream().mapToDouble(Double::doubleValue).toArray(), positives);
        return new QualityReport.NoneImages((int) none.stream().filter(b -> b).count(), 100 * ap, flagged, flaggedNone);
    }

    /** The CAM crops of each training image's last scores record against its ground-truth boxes. */
    private CamLocalisation localisation(Outputs outputs) {
        List<List<CamBox>> crops = new ArrayList<>();
        List<List<ObjectBox>> truth = new ArrayList<>();
        boolean anyBox = false;
        for (BenchImages.BenchImage image : images.train()) {
            Scores scores = outputs.scores.get(image.id());
            if (scores != null) {
                crops.add(scores.getBoxes());
                truth.add(image.boxes());
                anyBox |= !image.boxes().isEmpty();
            }
        }
        return anyBox ? CamLocalisation.of(crops, truth, images.classNames()) : null;
    }

    private static List<Double> boxed(double[] values) {
        return Arrays.stream(values).boxed().toList();
    }

    /** Reads the row's labels, bias, checkpoints and dead letters from the start of their topics. */
    private static final class Outputs implements AutoCloseable {

        private final KafkaConsumer<ImageKey, Label> labelConsumer;
        private final KafkaConsumer<ImageKey, Scores> scoresConsumer;
        private final KafkaConsumer<ClassSetKey, Bias> biasConsumer;
        private final KafkaConsumer<ClassSetKey, Checkpoint> checkpointConsumer;
        private final KafkaConsumer<byte[], byte[]> deadLetterConsumer;
        private final Map<String, Label> labels = new HashMap<>();
        /** Per image, its last scores record (the one behind its latest label). */
        private final Map<String, Scores> scores = new HashMap<>();

        private final List<Checkpoint> checkpoints = new ArrayList<>();
        private Bias bias;
        private final Set<String> deadLetterSources = new HashSet<>();
        private long lastChange = System.nanoTime();

        Outputs(String bootstrapServers, RegistrySerdes serdes, String deadLetterTopic) {
            labelConsumer = OutputWatcher.consumer(bootstrapServers, CcdTopics.LABELS, serdes);
            scoresConsumer = OutputWatcher.consumer(bootstrapServers, CcdTopics.SCORES, serdes);
            biasConsumer = OutputWatcher.consumer(bootstrapServers, CcdTopics.BIAS, serdes);
            checkpointConsumer = OutputWatcher.consumer(bootstrapServers, CcdTopics.CHECKPOINTS, serdes);
            deadLetterConsumer = new KafkaConsumer<>(
                    OutputWatcher.props(bootstrapServers), new ByteArrayDeserializer(), new ByteArrayDeserializer());
            // the row's topics are new and empty: their end is their start
            OutputWatcher.startAtEnd(labelConsumer, CcdTopics.LABELS.name());
            OutputWatcher.startAtEnd(scoresConsumer, CcdTopics.SCORES.name());
            OutputWatcher.startAtEnd(biasConsumer, CcdTopics.BIAS.name());
            OutputWatcher.startAtEnd(checkpointConsumer, CcdTopics.CHECKPOINTS.name());
            OutputWatcher.startAtEnd(deadLetterConsumer, deadLetterTopic);
        }

        public void poll(Duration timeout) {
            Duration each = timeout.dividedBy(5);
            for (ConsumerRecord<ImageKey, Label> record : labelConsumer.poll(each)) {
                labels.put(record.key().getImageId(), record.value());
                lastChange = System.nanoTime();
            }
            for (ConsumerRecord<ImageKey, Scores> record : scoresConsumer.poll(each)) {
                scores.put(record.key().getImageId(), record.value());
            }
            for (ConsumerRecord<ClassSetKey, Bias> record : biasConsumer.poll(each)) {
                bias = record.value();
                lastChange = System.nanoTime();
            }
            for (ConsumerRecord<ClassSetKey, Checkpoint> record : checkpointConsumer.poll(each)) {
                checkpoints.add(record.value());
            }
            for (ConsumerRecord<byte[], byte[]> record : deadLetterConsumer.poll(each)) {
                // a source record refused by the scorer and by the trainer counts once
                deadLetterSources.add(DeadLetters.source(record.headers()));
            }
        }

        /** Source records dead-lettered, each once however many services refused it. */
        public int deadLetters() {
            return deadLetterSources.size();
        }

        /**
         * Labels made with another bias version than the newest published one, or with none; 0
         * before any bias, and when the labeler does not debias (its labels carry no bias).
         */
        public long staleLabels(boolean debias) {
            if (bias == null || !debias) {
                return 0;
            }
            Long newest = bias.getVersion();
            return labels.values().stream()
                    .filter(l -> !newest.equals(l.getBiasVersion()))
                    .count();
        }

        /** Labels the trainer trains on: all but those marked none. */
        public int trainableLabels() {
            return (int) labels.values().stream().filter(l -> !l.getNone()).count();
        }

        public boolean quietFor(Duration quiet) {
            return System.nanoTime() - lastChange > quiet.toNanos();
        }

        public Optional<Checkpoint> refineCheckpoint() {
            return checkpoints.stream()
                    .filter(c -> c.getPhase() == CheckpointPhase.REFINE)
                    .findFirst();
        }

        @Override
        public void close() {
            labelConsumer.close();
            scoresConsumer.close();
            biasConsumer.close();
            checkpointConsumer.close();
            deadLetterConsumer.close();
        }
    }
}
