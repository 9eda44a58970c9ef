package io.ccdstream.bench;

import io.ccdstream.data.synth.SynthWorld;
import io.ccdstream.method.ccd.BiasAggregate;
import io.ccdstream.method.ccd.Debias;
import io.ccdstream.method.ccd.FloorMode;
import io.ccdstream.method.image.ImageDecoder;
import io.ccdstream.method.image.RgbImage;
import io.ccdstream.method.metrics.LabelBinarisation;
import io.ccdstream.method.metrics.MeanAveragePrecision;
import io.ccdstream.models.BundledModels;
import io.ccdstream.models.classifier.Classifier;
import io.ccdstream.models.classifier.ClassifierException;
import io.ccdstream.models.classifier.ClassifierTrainer;
import io.ccdstream.models.clip.ClassSet;
import io.ccdstream.models.clip.ClipModel;
import io.ccdstream.models.clip.ClipModelException;
import io.ccdstream.trainer.HeldOutSignal;
import io.ccdstream.trainer.HeldOutSlice;
import io.ccdstream.trainer.TrainerConfig;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import org.apache.commons.math3.stat.correlation.SpearmansCorrelation;
import org.apache.commons.math3.stat.regression.SimpleRegression;

/**
 * How CONTINUOUS rounds should sample, train and be judged, measured without Kafka. SynthScenes
 * images arrive in chunks; each is labelled as the pipeline's global view labels it (the bundled
 * mini-CLIP's scores, debiased with RANK by the bias of every image so far); one image in {@code
 * sliceEvery} (by {@link HeldOutSlice#candidate}) joins a held-out slice with its label frozen and is
 * never trained on. A classifier is warmed up (2 epochs, BCE) and refined (3 epochs, consistency) on
 * the first images as the trainer does; then, for each strategy, after each chunk a CONTINUOUS round
 * fine-tunes it. Every checkpoint is scored against the ground truth of a fixed test set (another
 * SynthScenes seed) and against the slice's frozen pseudo-labels under several positive rules, so the
 * report shows which strategy learns and which label-free signal ranks checkpoints as the truth does.
 */
public final class ContinuousRoundStudy {

    private static final int SCORING_BATCH = 16;
    private static final int REFINE_EPOCHS = 3;

    private ContinuousRoundStudy() {}

    /**
     * The study's size.
     *
     * @param seed          SynthScenes seed of the stream; the test set uses {@code seed + 1}
     * @param world         SynthScenes world
     * @param imageSize     image side (px); also the classifier's input side
     * @param warmupImages  images before the first round (warm-up and refinement)
     * @param chunkImages   images per chunk (one CONTINUOUS round each)
     * @param chunks        chunks
     * @param testImages    ground-truth test images
     * @param sliceEvery    one image in this many joins the held-out slice
     * @param sliceMax      most slice images
     * @param strategies    names of the strategies to run; empty: all
     */
    public record Settings(
            long seed,
            SynthWorld world,
            int imageSize,
            int warmupImages,
            int chunkImages,
            int chunks,
            int testImages,
            int sliceEvery,
            int sliceMax,
            List<String> strategies) {

        /** Copies the list. */
        public Settings {
            strategies = List.copyOf(strategies);
        }

        /** The default size: about 10 minutes of CPU on 2 cores. */
        public static Settings defaults() {
            return new Settings(21, SynthWorld.SMALL_OBJECTS, 64, 200, 100, 6, 300, 4, 256, List.of());
        }

        /** A small run, for a test. */
        public static Settings quick() {
            return new Settings(21, SynthWorld.SMALL_OBJECTS, 32, 48, 32, 2, 48, 4, 64, List.of("replay x1"));
        }

        int streamImages() {
            return warmupImages + chunkImages * chunks;
        }

        int block(int image) {
            return image < warmupImages ? 0 : 1 + (image - warmupImages) / chunkImages;
        }
    }

    /** How a CONTINUOUS round picks its older images. */
    public enum Sampling {
        /** Only the chunk's new images. */
        NEW_ONLY,
        /** The new images plus {@code replayRatio} times as many older ones, drawn at random. */
        REPLAY,
        /** Every labelled image so far. */
        CUMULATIVE
    }

    /**
     * One way to run CONTINUOUS rounds.
     *
     * @param name        the row's name
     * @param sampling    which images a round trains on
     * @param replayRatio older images per new one ({@link Sampling#REPLAY})
     * @param balanced    draw the older images with weights inverse to the frequency of their top class
     * @param epochs      epochs per round
     * @param lrFactor    the round's learning rate as a multiple of the trainer's
     */
    public record Strategy(
            String name, Sampling sampling, double replayRatio, boolean balanced, int epochs, double lrFactor) {

        /** The strategies compared. */
        public static List<Strategy> all() {
            return List.of(
                    new Strategy("new only", Sampling.NEW_ONLY, 0, false, 2, 1),
                    new Strategy("replay x1", Sampling.REPLAY, 1, false, 2, 1),
                    new Strategy("replay x3", Sampling.REPLAY, 3, false, 2, 1),
                    new Strategy("cumulative", Sampling.CUMULATIVE, 0, false, 2, 1),
                    new Strategy("replay x1, class-balanced", Sampling.REPLAY, 1, true, 2, 1),
                    new Strategy("replay x1, 1 epoch", Sampling.REPLAY, 1, false, 1, 1),
                    new Strategy("replay x1, 3 epochs", Sampling.REPLAY, 1, false, 3, 1),
                    new Strategy("replay x1, lr x0.3", Sampling.REPLAY, 1, false, 2, 0.3),
                    new Strategy("replay x1, lr x3", Sampling.REPLAY, 1, false, 2, 3),
                    new Strategy("replay x3, class-balanced", Sampling.REPLAY, 3, true, 2, 1),
                    new Strategy("replay x3, lr x0.3", Sampling.REPLAY, 3, false, 2, 0.3));
        }
    }

    /**
     * One checkpoint of the study.
     *
     * @param strategy          the strategy, or {@code base} for the refined warm-up all strategies start from
     * @param round             0 for the base, then 1..chunks
     * @param trueMap           mAP (%) on the test set against the ground truth
     * @param trainLabelMap     train-label mAP (%) of the round's own images (ALGORITHM.md's signal), NaN for the base
     * @param baselineTrainMap  the previous checkpoint's train-label mAP on the same images (the trainer's paired
     *                          comparison), NaN for the base
     * @param slicePredictions  sigmoid outputs on every slice image
     * @param trainedImages     images the round trained on
     */
    public record Checkpoint(
            String strategy,
            int round,
            double trueMap,
            double trainLabelMap,
            double baselineTrainMap,
            float[][] slicePredictions,
            int trainedImages) {}

    /** A signal's agreement with the truth over the study's checkpoints. */
    public record SignalRow(
            String signal, int classes, double spearmanAll, double spearmanWithin, double pairedAgreement) {}

    /** Everything the study measured. */
    public record Result(
            Settings settings,
            List<Checkpoint> checkpoints,
            float[][] sliceLabels,
            boolean[][] sliceTruth,
            int[] sliceBlock,
            double seconds) {

        /** The checkpoints of {@code strategy}, the base first. */
        public List<Checkpoint> of(String strategy) {
            List<Checkpoint> out = new ArrayList<>();
            checkpoints.stream().filter(c -> c.round() == 0).forEach(out::add);
            checkpoints.stream().filter(c -> c.strategy().equals(strategy)).forEach(out::add);
            return out;
        }

        /** The slice images that had arrived by the end of {@code round}. */
        int sliceSizeAt(int round) {
            int n = 0;
            for (int b : sliceBlock) {
                n += b <= round ? 1 : 0;
            }
            return n;
        }
    }

    /** Runs the study. */
    public static Result run(Settings settings, Path work, PrintStream log)
            throws IOException, ClipModelException, ClassifierException {
        long started = System.nanoTime();
        int streamCount = settings.streamImages();
        BenchImages images = BenchImages.synthScenes(
                settings.seed(), settings.world(), settings.imageSize(), streamCount, settings.testImages());
        List<String> names = images.classNames();
        ImageDecoder decoder = ImageDecoder.builder().build();
        List<RgbImage> stream = decode(decoder, images.train());
        List<RgbImage> test = decode(decoder, images.heldOut());
        boolean[][] testTruth =
                images.heldOut().stream().map(BenchImages.BenchImage::truth).toArray(boolean[][]::new);

        float[][] global = new float[streamCount][];
        try (ClipModel clip = ClipModel.load(BundledModels.extract(BundledModels.DEFAULT, work))) {
            ClassSet classSet = clip.classSet(names);
            for (int i = 0; i < streamCount; i += SCORING_BATCH) {
                float[][] scored =
                        clip.scoreImages(classSet, stream.subList(i, Math.min(streamCount, i + SCORING_BATCH)));
                System.arraycopy(scored, 0, global, i, scored.length);
            }
        }
        log.printf(Locale.ROOT, "scored %d stream images with CLIP (%.0f s)%n", streamCount, seconds(started));

        // the labeler's label of image i under the bias of every image up to the end of block b
        float[][] biasAfter = new float[settings.chunks() + 1][];
        BiasAggregate aggregate = BiasAggregate.empty(names.size());
        for (int i = 0; i < streamCount; i++) {
            aggregate = aggregate.add(global[i], BiasAggregate.DEFAULT_ENTROPY_THRESHOLD);
            if (i == streamCount - 1 || settings.block(i + 1) != settings.block(i)) {
                biasAfter[settings.block(i)] = aggregate.bias();
            }
        }
        Debias debias = new Debias(Debias.DEFAULT_FLOOR, FloorMode.RANK);

        List<Integer> slice = new ArrayList<>();
        List<Integer> pool = new ArrayList<>();
        for (int i = 0; i < streamCount; i++) {
            if (slice.size() < settings.sliceMax()
                    && HeldOutSlice.candidate(images.train().get(i).id(), settings.sliceEvery())) {
                slice.add(i);
            } else {
                pool.add(i);
            }
        }
        float[][] sliceLabels = slice.stream()
                .map(i -> debias.apply(global[i], biasAfter[settings.block(i)]))
                .toArray(float[][]::new);
        boolean[][] sliceTruth =
                slice.stream().map(i -> images.train().get(i).truth()).toArray(boolean[][]::new);
        int[] sliceBlock = slice.stream().mapToInt(settings::block).toArray();
        List<RgbImage> sliceImages = slice.stream().map(stream::get).toList();
        log.printf(Locale.ROOT, "held-out slice: %d images (1 in %d)%n", slice.size(), settings.sliceEvery());

        List<Checkpoint> checkpoints = new ArrayList<>();
        Path base = work.resolve("base.ckpt");
        String baseSha;
        List<Integer> first = pool.stream().filter(i -> settings.block(i) == 0).toList();
        try (Classifier classifier =
                Classifier.create(trainerConfig(settings, 1).classifierConfig())) {
            List<RgbImage> firstImages = first.stream().map(stream::get).toList();
            float[][] firstTargets = first.stream()
                    .map(i -> debias.apply(global[i], biasAfter[0]))
                    .toArray(float[][]::new);
            try (ClassifierTrainer trainer =
                    classifier.newTrainer(trainerConfig(settings, 1).optimiser())) {
                for (int e = 0; e < 2; e++) {
                    trainer.trainEpoch(firstImages, firstTargets, 0f);
                }
            }
            try (ClassifierTrainer trainer =
                    classifier.newTrainer(trainerConfig(settings, 1).optimiser())) {
                for (int e = 0; e < REFINE_EPOCHS; e++) {
                    trainer.trainEpoch(firstImages, firstTargets, 1f);
                }
            }
            baseSha = classifier.save(base);
            checkpoints.add(new Checkpoint(
                    "base",
                    0,
                    MeanAveragePrecision.of(classifier.predict(test), testTruth).map(),
                    Double.NaN,
                    Double.NaN,
                    classifier.predict(sliceImages),
                    first.size()));
        }
        log.printf(
                Locale.ROOT,
                "base (warm-up 2 + refine %d epochs on %d images): test mAP %.1f (%.0f s)%n",
                REFINE_EPOCHS,
                first.size(),
                checkpoints.get(0).trueMap(),
                seconds(started));

        for (Strategy strategy : Strategy.all()) {
            if (!settings.strategies().isEmpty() && !settings.strategies().contains(strategy.name())) {
                continue;
            }
            long strategyStarted = System.nanoTime();
            Random random = new Random(settings.seed());
            try (Classifier classifier = Classifier.load(base, baseSha)) {
                for (int round = 1; round <= settings.chunks(); round++) {
                    int r = round;
                    List<Integer> fresh =
                            pool.stream().filter(i -> settings.block(i) == r).toList();
                    List<Integer> older =
                            pool.stream().filter(i -> settings.block(i) < r).toList();
                    List<Integer> chosen = new ArrayList<>(fresh);
                    float[] bias = biasAfter[round];
                    switch (strategy.sampling()) {
                        case NEW_ONLY -> {}
                        case CUMULATIVE -> chosen.addAll(older);
                        case REPLAY ->
                            chosen.addAll(sample(
                                    older,
                                    (int) Math.round(strategy.replayRatio() * fresh.size()),
                                    strategy.balanced(),
                                    i -> debias.apply(global[i], bias),
                                    random));
                    }
                    List<RgbImage> roundImages =
                            chosen.stream().map(stream::get).toList();
                    float[][] targets = chosen.stream()
                            .map(i -> debias.apply(global[i], bias))
                            .toArray(float[][]::new);
                    double before = MeanAveragePrecision.trainMap(
                                    classifier.predict(roundImages), targets, LabelBinarisation.AT_LEAST_HALF)
                            .map();
                    try (ClassifierTrainer trainer = classifier.newTrainer(
                            trainerConfig(settings, strategy.lrFactor()).optimiser())) {
                        for (int e = 0; e < strategy.epochs(); e++) {
                            trainer.trainEpoch(roundImages, targets, 1f);
                        }
                    }
                    checkpoints.add(new Checkpoint(
                            strategy.name(),
                            round,
                            MeanAveragePrecision.of(classifier.predict(test), testTruth)
                                    .map(),
                            MeanAveragePrecision.trainMap(
                                            classifier.predict(roundImages), targets, LabelBinarisation.AT_LEAST_HALF)
                                    .map(),
                            before,
                            classifier.predict(sliceImages),
                            chosen.size()));
                }
            }
            log.printf(
                    Locale.ROOT,
                    "%s: test mAP %s (%.0f s)%n",
                    strategy.name(),
                    checkpoints.stream()
                            .filter(c -> c.strategy().equals(strategy.name()))
                            .map(c -> String.format(Locale.ROOT, "%.1f", c.trueMap()))
                            .toList(),
                    seconds(strategyStarted));
        }
        return new Result(settings, checkpoints, sliceLabels, sliceTruth, sliceBlock, seconds(started));
    }

    /** Settings of the trainer with its defaults, at the study's input size and a scaled learning rate. */
    static TrainerConfig trainerConfig(Settings settings, double lrFactor) {
        return new TrainerConfig(Map.of(
                TrainerConfig.BOOTSTRAP_SERVERS,
                "unused:9092",
                TrainerConfig.SCHEMA_REGISTRY_URL,
                "http://unused:8081",
                TrainerConfig.CLASS_SET_ID,
                "continuous-round-study",
                TrainerConfig.CLASS_NAMES,
                String.join(",", io.ccdstream.data.synth.SynthClass.names()),
                TrainerConfig.INPUT_SIZE,
                settings.imageSize(),
                TrainerConfig.SEED,
                settings.seed(),
                TrainerConfig.LEARNING_RATE,
                TrainerConfig.DEMO_LEARNING_RATE * lrFactor));
    }

    /**
     * {@code count} of {@code candidates} without replacement; balanced: weighted by the inverse of
     * how many candidates share the image's top pseudo-label class (Efraimidis-Spirakis keys).
     */
    static List<Integer> sample(
            List<Integer> candidates,
            int count,
            boolean balanced,
            java.util.function.IntFunction<float[]> label,
            Random random) {
        if (count >= candidates.size()) {
            return candidates;
        }
        Map<Integer, Integer> topClass = new HashMap<>();
        Map<Integer, Integer> perClass = new HashMap<>();
        for (int i : candidates) {
            int top = argMax(label.apply(i));
            topClass.put(i, top);
            perClass.merge(top, 1, Integer::sum);
        }
        Map<Integer, Double> keys = new HashMap<>();
        for (int i : candidates) {
            double weight = balanced ? 1.0 / perClass.get(topClass.get(i)) : 1.0;
            keys.put(i, Math.pow(random.nextDouble(), 1.0 / weight));
        }
        return candidates.stream()
                .sorted(Comparator.comparingDouble(i -> -keys.get(i)))
                .limit(count)
                .toList();
    }

    private static int argMax(float[] values) {
        int best = 0;
        for (int c = 1; c < values.length; c++) {
            if (values[c] > values[best]) {
                best = c;
            }
        }
        return best;
    }

    /** The label-free signals compared, by name. */
    static Map<String, HeldOutSignal> signals() {
        Map<String, HeldOutSignal> signals = new LinkedHashMap<>();
        for (String rule : List.of(
                "at-least:0.5",
                "relative:0.3",
                "relative:0.5",
                "relative:0.7",
                "relative:0.9",
                "top:1",
                "top:2",
                "top:3",
                "quantile:0.1",
                "quantile:0.2")) {
            for (int m : new int[] {1, 3, 5}) {
                signals.put(
                        rule + ", classes with >= " + m + " positives",
                        new HeldOutSignal(HeldOutSignal.PositiveRule.parse(rule), m, 1));
            }
        }
        return signals;
    }

    /**
     * Each signal's agreement with the true mAP: Spearman over every non-base checkpoint (slice as it
     * stood after the checkpoint's round), the mean of the Spearman within each strategy (base included),
     * and the share of consecutive checkpoints of a strategy whose order the signal gets right when both
     * are scored on the same slice (the publish decision).
     */
    public static List<SignalRow> signalRows(Result result) {
        List<SignalRow> rows = new ArrayList<>();
        rows.add(agreement(
                "train-label mAP of the round's own images (ALGORITHM.md, at-least-half)",
                result,
                (c, n) -> c.trainLabelMap(),
                true,
                -1));
        rows.add(agreement(
                "slice against its ground truth (not label-free; the slice's own noise)",
                result,
                (c, n) -> MeanAveragePrecision.of(head(c.slicePredictions(), n), head(result.sliceTruth(), n))
                        .map(),
                false,
                -1));
        Checkpoint last = result.checkpoints().get(result.checkpoints().size() - 1);
        for (var signal : signals().entrySet()) {
            rows.add(agreement(
                    signal.getKey(),
                    result,
                    (c, n) -> signal.getValue()
                            .evaluate(head(c.slicePredictions(), n), head(result.sliceLabels(), n))
                            .map(),
                    false,
                    signal.getValue()
                            .evaluate(last.slicePredictions(), result.sliceLabels())
                            .classes()));
        }
        return rows;
    }

    /** A checkpoint's signal on the first {@code n} slice images. */
    @FunctionalInterface
    interface SignalOf {
        double value(Checkpoint checkpoint, int sliceImages);
    }

    private static SignalRow agreement(String name, Result result, SignalOf signal, boolean trainLabels, int classes) {
        List<Checkpoint> rounds =
                result.checkpoints().stream().filter(c -> c.round() > 0).toList();
        double[] truth = rounds.stream().mapToDouble(Checkpoint::trueMap).toArray();
        double[] values = rounds.stream()
                .mapToDouble(c -> signal.value(c, result.sliceSizeAt(c.round())))
                .toArray();
        double all = spearman(values, truth);
        double withinSum = 0;
        int withinCount = 0;
        int agree = 0;
        int pairs = 0;
        for (String strategy :
                rounds.stream().map(Checkpoint::strategy).distinct().toList()) {
            List<Checkpoint> lineage = result.of(strategy);
            if (trainLabels) {
                lineage = lineage.subList(1, lineage.size());
            }
            int finalSlice = result.sliceBlock().length;
            double within = spearman(
                    lineage.stream()
                            .mapToDouble(c -> signal.value(c, finalSlice))
                            .toArray(),
                    lineage.stream().mapToDouble(Checkpoint::trueMap).toArray());
            if (!Double.isNaN(within)) {
                withinSum += within;
                withinCount++;
            }
            for (int k = 1; k < lineage.size(); k++) {
                Checkpoint before = lineage.get(k - 1);
                Checkpoint after = lineage.get(k);
                int n = result.sliceSizeAt(after.round());
                double signalGain = trainLabels
                        ? after.trainLabelMap() - after.baselineTrainMap()
                        : signal.value(after, n) - signal.value(before, n);
                double trueGain = after.trueMap() - before.trueMap();
                if (!Double.isNaN(signalGain)) {
                    agree += Math.signum(signalGain) == Math.signum(trueGain) ? 1 : 0;
                    pairs++;
                }
            }
        }
        return new SignalRow(
                name,
                classes,
                all,
                withinCount == 0 ? Double.NaN : withinSum / withinCount,
                pairs == 0 ? Double.NaN : (double) agree / pairs);
    }

    private static double spearman(double[] x, double[] y) {
        List<Integer> keep = new ArrayList<>();
        for (int i = 0; i < x.length; i++) {
            if (!Double.isNaN(x[i]) && !Double.isNaN(y[i])) {
                keep.add(i);
            }
        }
        if (keep.size() < 3) {
            return Double.NaN;
        }
        double[] a = keep.stream().mapToDouble(i -> x[i]).toArray();
        double[] b = keep.stream().mapToDouble(i -> y[i]).toArray();
        return new SpearmansCorrelation().correlation(a, b);
    }

    private static <T> T[] head(T[] rows, int n) {
        return Arrays.copyOf(rows, Math.min(n, rows.length));
    }

    /** Per strategy: the true mAP after each round, its trend and the images trained on. */
    public static void printStrategies(Result result, PrintStream out) {
        int chunks = result.settings().chunks();
        StringBuilder header = new StringBuilder("| strategy | images / round | base |");
        StringBuilder rule = new StringBuilder("|---|---:|---:|");
        for (int r = 1; r <= chunks; r++) {
            header.append(" round ").append(r).append(" |");
            rule.append("---:|");
        }
        out.println(header.append(" last - base | slope / round | mean of last 3 |"));
        out.println(rule.append("---:|---:|---:|"));
        for (String strategy : result.checkpoints().stream()
                .map(Checkpoint::strategy)
                .filter(s -> !s.equals("base"))
                .distinct()
                .toList()) {
            List<Checkpoint> lineage = result.of(strategy);
            SimpleRegression trend = new SimpleRegression();
            lineage.forEach(c -> trend.addData(c.round(), c.trueMap()));
            StringBuilder row = new StringBuilder(String.format(
                    Locale.ROOT,
                    "| %s | %.0f |",
                    strategy,
                    lineage.subList(1, lineage.size()).stream()
                            .mapToInt(Checkpoint::trainedImages)
                            .average()
                            .orElse(0)));
            lineage.forEach(c -> row.append(String.format(Locale.ROOT, " %.1f |", c.trueMap())));
            double last = lineage.get(lineage.size() - 1).trueMap();
            double lastThree = lineage.subList(Math.max(1, lineage.size() - 3), lineage.size()).stream()
                    .mapToDouble(Checkpoint::trueMap)
                    .average()
                    .orElse(Double.NaN);
            out.println(row.append(String.format(
                    Locale.ROOT,
                    " %+.1f | %+.2f | %.1f |",
                    last - lineage.get(0).trueMap(),
                    trend.getSlope(),
                    lastThree)));
        }
    }

    /** The signals' agreement with the truth. */
    public static void printSignals(List<SignalRow> rows, PrintStream out) {
        out.println("| signal | classes counted | Spearman, all checkpoints | Spearman within a strategy (mean) |"
                + " consecutive checkpoints ordered right |");
        out.println("|---|---:|---:|---:|---:|");
        for (SignalRow row : rows) {
            out.printf(
                    Locale.ROOT,
                    "| %s | %s | %.2f | %.2f | %.0f%% |%n",
                    row.signal(),
                    row.classes() < 0 ? "-" : Integer.toString(row.classes()),
                    row.spearmanAll(),
                    row.spearmanWithin(),
                    100 * row.pairedAgreement());
        }
    }

    /** The default rule on slices of growing size (its first images). */
    public static void printSliceSizes(Result result, HeldOutSignal signal, PrintStream out) {
        out.println("| slice images | classes counted (final checkpoint) | Spearman, all checkpoints |");
        out.println("|---:|---:|---:|");
        List<Checkpoint> rounds =
                result.checkpoints().stream().filter(c -> c.round() > 0).toList();
        double[] truth = rounds.stream().mapToDouble(Checkpoint::trueMap).toArray();
        for (int n : new int[] {16, 32, 64, 128, 256}) {
            if (n > result.sliceLabels().length) {
                break;
            }
            double[] values = rounds.stream()
                    .mapToDouble(c -> signal.evaluate(head(c.slicePredictions(), n), head(result.sliceLabels(), n))
                            .map())
                    .toArray();
            Checkpoint last = rounds.get(rounds.size() - 1);
            out.printf(
                    Locale.ROOT,
                    "| %d | %d | %.2f |%n",
                    n,
                    signal.evaluate(head(last.slicePredictions(), n), head(result.sliceLabels(), n))
                            .classes(),
                    spearman(values, truth));
        }
    }

    /** Runs the default-size study and prints its tables. */
    public static void main(String[] args) throws Exception {
        Settings settings = args.length > 0 && args[0].equals("--quick") ? Settings.quick() : Settings.defaults();
        if (args.length > 0 && !args[0].equals("--quick")) {
            Settings d = settings;
            settings = new Settings(
                    Long.parseLong(args[0]),
                    d.world(),
                    d.imageSize(),
                    d.warmupImages(),
                    d.chunkImages(),
                    d.chunks(),
                    d.testImages(),
                    d.sliceEvery(),
                    d.sliceMax(),
                    args.length > 1 ? List.of(args[1].split(";")) : List.of());
        }
        Path work = Files.createTempDirectory("ccd-rounds-study");
        Result result = run(settings, work, System.out);
        report(result, System.out);
    }

    /** Prints every table of {@code result}. */
    public static void report(Result result, PrintStream out) {
        Settings s = result.settings();
        out.printf(
                Locale.ROOT,
                "%nSynthScenes %s seed %d (test seed %d), %d px; %d images before the first round, %d chunks of %d;"
                        + " %d test images; slice %d images (1 in %d); %.0f s, %d cores%n%n",
                s.world().id(),
                s.seed(),
                s.seed() + 1,
                s.imageSize(),
                s.warmupImages(),
                s.chunks(),
                s.chunkImages(),
                s.testImages(),
                result.sliceLabels().length,
                s.sliceEvery(),
                result.seconds(),
                Runtime.getRuntime().availableProcessors());
        printStrategies(result, out);
        out.println();
        printSignals(signalRows(result), out);
        out.println();
        printSliceSizes(result, HeldOutSignal.DEFAULT, out);
    }

    private static List<RgbImage> decode(ImageDecoder decoder, List<BenchImages.BenchImage> images) {
        List<RgbImage> out = new ArrayList<>(images.size());
        for (BenchImages.BenchImage image : images) {
            try {
                out.add(decoder.decode(image.read()).image());
            } catch (io.ccdstream.method.image.ImageInputException e) {
                throw new IllegalStateException("SynthScenes image " + image.id() + " does not decode", e);
            }
        }
        return out;
    }

    private static double seconds(long startedNanos) {
        return (System.nanoTime() - startedNanos) / 1e9;
    }
}
