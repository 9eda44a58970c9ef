package io.ccdstream.trainer;

import io.ccdstream.processors.classifier.Classifier;
import io.ccdstream.processors.classifier.ClassifierTrainer;
import io.ccdstream.processors.clip.ClassSet;
import io.ccdstream.processors.clip.ClipModelDescriptor;
import io.ccdstream.processors.image.ImageDecoder;
import io.ccdstream.processors.image.RgbImage;
import io.ccdstream.processors.metrics.MeanAveragePrecision;
import io.ccdstream.processors.models.BundledModels;
import io.ccdstream.processors.synth.SynthClass;
import io.ccdstream.processors.synth.SynthScene;
import io.ccdstream.processors.synth.SynthScenes;
import io.ccdstream.schemas.Checkpoint;
import io.ccdstream.schemas.CheckpointPhase;
import io.ccdstream.schemas.Image;
import io.ccdstream.schemas.ImageKey;
import io.ccdstream.schemas.Label;
import io.ccdstream.schemas.LabelStage;
import io.ccdstream.streams.CcdStreamsConfig;
import io.ccdstream.streams.CcdTopics;
import io.ccdstream.streams.FloatLists;
import io.ccdstream.streams.bias.BiasSettings;
import io.ccdstream.streams.labeler.LabelerSettings;
import io.ccdstream.streams.pipeline.Pipeline;
import io.ccdstream.streams.pipeline.PipelineSettings;
import io.ccdstream.streams.scorer.CheckpointFetcher;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerRecord;

/**
 * Does the REFINE checkpoint beat the WARMUP checkpoint? Runs the real pipeline (scorer, bias,
 * labeler with a CLIP model) and the trainer on a SynthScenes stream, then evaluates both published
 * checkpoints on a held-out SynthScenes split against the generator's ground truth (read from
 * SynthScenes directly; the trainer never sees it). For context it also prints the mAP of the labels
 * the trainer trained on, and a control: the warm-up checkpoint trained for as many more epochs on the
 * initial labels as the refinement ran, to separate the effect of the refined labels from that of
 * more epochs.
 *
 * <p>Arguments (all optional): {@code train-images held-out-images image-size clip-model-dir}; defaults
 * 200, 200, 64 and the bundled model. Run it with the test class path, or through
 * {@code RefineBenchmarkTest} ({@code -Dccd.benchmark=true}).
 */
public final class RefineBenchmark {

    private static final long TRAIN_SEED = 31;
    private static final long HELD_OUT_SEED = 32;

    private RefineBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        int trainImages = args.length > 0 ? Integer.parseInt(args[0]) : 200;
        int heldOutImages = args.length > 1 ? Integer.parseInt(args[1]) : 200;
        int size = args.length > 2 ? Integer.parseInt(args[2]) : 64;
        Path work = Files.createTempDirectory("ccd-refine-benchmark");
        Path modelDir = args.length > 3 ? Path.of(args[3]) : BundledModels.extract(BundledModels.DEFAULT, work.resolve("models"));
        run(trainImages, heldOutImages, size, modelDir, Map.of(), work, System.out);
    }

    /**
     * Runs the benchmark and prints its report to {@code out}; returns {WARMUP mAP, REFINE mAP}.
     *
     * @param trainerSettings trainer settings on top of the benchmark's (e.g. the consistency beta)
     */
    static double[] run(int trainImages, int heldOutImages, int size, Path modelDir, Map<String, ?> trainerSettings,
        Path work, PrintStream out) throws Exception {
        ClipModelDescriptor descriptor = ClipModelDescriptor.read(modelDir);
        ClassSet classSet = ClassSet.of(descriptor.modelId(), SynthClass.names(), List.of(descriptor.promptTemplate()));
        List<SynthScene> train = scenes(TRAIN_SEED, size, trainImages);
        List<SynthScene> heldOut = scenes(HELD_OUT_SEED, size, heldOutImages);
        long started = System.nanoTime();
        try (TestCluster cluster = new TestCluster(work, 2);
             Pipeline pipeline = Pipeline.start(streamsConfig(cluster, work), settings(modelDir, classSet),
                 List.of(Pipeline.Service.values()));
             TrainerService trainer = TrainerService.start(TrainerConfig.forClassSet(classSet,
                 cluster.trainerSettings(work.resolve("trainer"), trainerSettings(trainImages, size, trainerSettings))))) {
            Map<ImageKey, Image> images = new LinkedHashMap<>();
            train.forEach(s -> images.put(SynthImages.key(s, classSet.id()), SynthImages.record(s, classSet.id())));
            cluster.send(CcdTopics.IMAGES, images);
            List<Checkpoint> checkpoints = cluster.read(CcdTopics.CHECKPOINTS, records -> records.stream()
                    .anyMatch(r -> r.value().getPhase() == CheckpointPhase.REFINE), Duration.ofMinutes(20)).stream()
                .map(ConsumerRecord::value).toList();
            Checkpoint warmup = phase(checkpoints, CheckpointPhase.WARMUP);
            Checkpoint refine = phase(checkpoints, CheckpointPhase.REFINE);
            Map<String, Label> labels = latestLabels(cluster, trainImages);
            out.printf(Locale.ROOT, "Pipeline + trainer on %d SynthScenes images (%d px, CLIP %s, trainer settings %s)"
                + " in %.0f s%n", trainImages, size, descriptor.modelId(), trainerSettings,
                (System.nanoTime() - started) / 1e9);
            reportLabels(out, train, labels, classSet.classNames());
            return evaluate(out, work, warmup, refine, classSet, train, labels, heldOut);
        }
    }

    private static Map<String, Object> trainerSettings(int trainImages, int size, Map<String, ?> overrides) {
        Map<String, Object> settings = new HashMap<>(Map.of(
            TrainerConfig.WARMUP_MIN_IMAGES, trainImages,
            TrainerConfig.REFINE_MIN_REFINED_SHARE, 1.0,
            TrainerConfig.INPUT_SIZE, size,
            TrainerConfig.CONTINUOUS_MIN_NEW_LABELS, 1_000_000));
        settings.putAll(overrides);
        return settings;
    }

    private static double[] evaluate(PrintStream out, Path work, Checkpoint warmup, Checkpoint refine, ClassSet classSet,
        List<SynthScene> train, Map<String, Label> labels, List<SynthScene> heldOut) throws Exception {
        CheckpointFetcher fetcher = new CheckpointFetcher(work.resolve("fetched"), Duration.ofSeconds(60));
        List<RgbImage> heldOutPixels = decode(heldOut);
        boolean[][] truth = heldOut.stream().map(s -> SynthImages.truth(s, classSet.classNames())).toArray(boolean[][]::new);
        double warmupMap;
        double refineMap;
        double controlMap;
        try (Classifier w = Classifier.load(fetcher.fetch(warmup), warmup.getSha256(), classSet.classNames());
             Classifier r = Classifier.load(fetcher.fetch(refine), refine.getSha256(), classSet.classNames());
             Classifier control = Classifier.load(fetcher.fetch(warmup), warmup.getSha256(), classSet.classNames())) {
            warmupMap = MeanAveragePrecision.of(w.predict(heldOutPixels), truth).map();
            refineMap = MeanAveragePrecision.of(r.predict(heldOutPixels), truth).map();
            trainOnInitialLabels(control, train, labels, refine.getMetrics().getEpochs());
            controlMap = MeanAveragePrecision.of(control.predict(heldOutPixels), truth).map();
        }
        out.printf(Locale.ROOT, "Held-out split: %d images, ground truth from SynthScenes (seed %d)%n", heldOut.size(),
            HELD_OUT_SEED);
        out.printf(Locale.ROOT, "  WARMUP  checkpoint v%d (%d epochs, train-label mAP %.1f): held-out mAP %.2f%n",
            warmup.getVersion(), warmup.getMetrics().getEpochs(), warmup.getMetrics().getTrainLabelMap(), warmupMap);
        out.printf(Locale.ROOT, "  REFINE  checkpoint v%d (%d epochs, train-label mAP %.1f): held-out mAP %.2f%n",
            refine.getVersion(), refine.getMetrics().getEpochs(), refine.getMetrics().getTrainLabelMap(), refineMap);
        out.printf(Locale.ROOT, "  control WARMUP + %d epochs on the initial labels:        held-out mAP %.2f%n",
            refine.getMetrics().getEpochs(), controlMap);
        out.printf(Locale.ROOT, "  REFINE - WARMUP = %+.2f mAP points; REFINE - control = %+.2f%n", refineMap - warmupMap,
            refineMap - controlMap);
        return new double[] {warmupMap, refineMap};
    }

    /** mAP of the initial (debiased global) and final labels of the training images against their ground truth. */
    private static void reportLabels(PrintStream out, List<SynthScene> train, Map<String, Label> labels,
        List<String> classNames) {
        List<float[]> global = new ArrayList<>();
        List<float[]> finals = new ArrayList<>();
        List<boolean[]> truth = new ArrayList<>();
        int refined = 0;
        for (SynthScene scene : train) {
            Label label = labels.get(scene.id());
            if (label != null) {
                global.add(FloatLists.toArray(label.getGlobal()));
                finals.add(FloatLists.toArray(label.getScores()));
                truth.add(SynthImages.truth(scene, classNames));
                refined += label.getStage() == LabelStage.REFINED ? 1 : 0;
            }
        }
        boolean[][] positives = truth.toArray(boolean[][]::new);
        out.printf(Locale.ROOT, "Labels of the %d training images (%d refined) against ground truth:%n", truth.size(),
            refined);
        out.printf(Locale.ROOT, "  initial (debiased global) labels mAP %.2f%n",
            MeanAveragePrecision.of(global.toArray(float[][]::new), positives).map());
        out.printf(Locale.ROOT, "  final (refined) labels mAP           %.2f%n",
            MeanAveragePrecision.of(finals.toArray(float[][]::new), positives).map());
    }

    private static void trainOnInitialLabels(Classifier classifier, List<SynthScene> train, Map<String, Label> labels,
        int epochs) {
        List<RgbImage> images = new ArrayList<>();
        List<float[]> targets = new ArrayList<>();
        List<RgbImage> decoded = decode(train);
        for (int i = 0; i < train.size(); i++) {
            Label label = labels.get(train.get(i).id());
            if (label != null) {
                images.add(decoded.get(i));
                float[] global = FloatLists.toArray(label.getGlobal());
                for (int c = 0; c < global.length; c++) {
                    global[c] = Math.max(0f, Math.min(1f, global[c]));
                }
                targets.add(global);
            }
        }
        TrainerConfig defaults = new TrainerConfig(Map.of(TrainerConfig.BOOTSTRAP_SERVERS, "unused:1",
            TrainerConfig.SCHEMA_REGISTRY_URL, "http://unused", TrainerConfig.CLASS_SET_ID, "unused",
            TrainerConfig.CLASS_NAMES, classifier.config().classNames()));
        try (ClassifierTrainer trainer = classifier.newTrainer(defaults.optimiser())) {
            for (int e = 0; e < epochs; e++) {
                trainer.trainEpoch(images, targets.toArray(float[][]::new), 0f);
            }
        }
    }

    /** The latest label of each image, once all {@code count} are refined (or after 30 s). */
    private static Map<String, Label> latestLabels(TestCluster cluster, int count) {
        Map<String, Label> latest = new HashMap<>();
        cluster.read(CcdTopics.LABELS, records -> {
            latest.clear();
            records.forEach(r -> latest.put(r.key().getImageId(), r.value()));
            return latest.size() >= count
                && latest.values().stream().allMatch(l -> l.getStage() == LabelStage.REFINED);
        }, Duration.ofSeconds(30));
        return latest;
    }

    private static Checkpoint phase(List<Checkpoint> checkpoints, CheckpointPhase phase) {
        return checkpoints.stream().filter(c -> c.getPhase() == phase).findFirst()
            .orElseThrow(() -> new IllegalStateException("no " + phase + " checkpoint was published"));
    }

    private static List<SynthScene> scenes(long seed, int size, int count) {
        SynthScenes generator = new SynthScenes(seed, size, 0.05);
        List<SynthScene> scenes = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            scenes.add(generator.generate(i));
        }
        return scenes;
    }

    private static List<RgbImage> decode(List<SynthScene> scenes) {
        ImageDecoder decoder = ImageDecoder.builder().build();
        return scenes.stream().map(s -> decoder.decode(s.png()).image()).toList();
    }

    private static CcdStreamsConfig streamsConfig(TestCluster cluster, Path work) {
        return new CcdStreamsConfig(Map.of(
            CcdStreamsConfig.BOOTSTRAP_SERVERS, cluster.broker.bootstrapServers(),
            CcdStreamsConfig.SCHEMA_REGISTRY_URL, cluster.registry.url(),
            CcdStreamsConfig.STATE_DIR, work.resolve("streams").toString()));
    }

    private static PipelineSettings settings(Path modelDir, ClassSet classSet) {
        return PipelineSettings.defaults(modelDir, classSet)
            .withBias(new BiasSettings(100, 5, 20, BiasSettings.DEFAULTS.entropyThreshold()))
            .withLabeler(new LabelerSettings(Duration.ofSeconds(1), 0.05f));
    }
}
