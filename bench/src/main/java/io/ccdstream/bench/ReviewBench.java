package io.ccdstream.bench;

import io.ccdstream.data.synth.SynthWorld;
import io.ccdstream.method.active.ActiveSelection;
import io.ccdstream.method.active.SelectionStrategy;
import io.ccdstream.method.ccd.BiasAggregate;
import io.ccdstream.method.ccd.Debias;
import io.ccdstream.method.ccd.FloorMode;
import io.ccdstream.method.ccd.Mix;
import io.ccdstream.method.image.ImageDecoder;
import io.ccdstream.method.image.ImageInputException;
import io.ccdstream.method.image.RgbImage;
import io.ccdstream.method.metrics.MeanAveragePrecision;
import io.ccdstream.models.BundledModels;
import io.ccdstream.models.classifier.Classifier;
import io.ccdstream.models.classifier.ClassifierException;
import io.ccdstream.models.classifier.ClassifierTrainer;
import io.ccdstream.models.clip.ClassSet;
import io.ccdstream.models.clip.ClipModel;
import io.ccdstream.models.clip.ClipModelException;
import io.ccdstream.models.scoring.CcdImageScorer;
import io.ccdstream.models.scoring.RefinementSettings;
import io.ccdstream.models.scoring.ScoredImage;
import io.ccdstream.trainer.TrainerConfig;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.stream.IntStream;

/**
 * What each answer of a person is worth, measured without Kafka on SynthScenes with the generator's
 * ground truth as a simulated reviewer. The train images are labelled as the pipeline labels them: the
 * bundled mini-CLIP's global scores debiased (RANK floor) by the bias of all of them, a classifier warmed
 * up on those (2 epochs), CAM crops it chooses scored by CLIP, and the mix (alpha 0.4) where a crop was
 * scored. Then, for each strategy and number of answers, the reviewer answers every class of the images
 * the strategy picks (their labels become the truth), and the bench reports
 * <ul>
 *   <li>the train-label mAP against the ground truth;
 *   <li>at the largest share, the held-out mAP (test images of another seed) of the warm classifier
 *       refined on those labels ({@code epochs} epochs, consistency loss, verified labels weighted
 *       {@code verifiedWeight});
 *   <li>the label mAP of the unreviewed images when the bias is estimated with and without the reviewed
 *       images (does excluding them from the CLIP statistics help?).
 * </ul>
 * {@code random} is run with several seeds; its rows are their mean.
 */
public final class ReviewBench {

    private static final int SCORING_BATCH = 16;
    private static final int WARMUP_EPOCHS = 2;
    private static final float ALPHA = 0.4f;

    private ReviewBench() {}

    /**
     * The bench's size.
     *
     * @param seed            SynthScenes seed of the train images; the test images use {@code seed + 1}
     * @param world           SynthScenes world
     * @param imageSize       image side (px), also the classifier's input side
     * @param trainImages     train images (the stream a person reviews a share of)
     * @param testImages      held-out test images
     * @param shares          shares of the train images answered, e.g. 0.01, 0.02, 0.05
     * @param strategies      the strategies compared
     * @param randomSeeds     seeds of the random strategy (its rows are the mean)
     * @param epochs          epochs of the refinement on the reviewed labels
     * @param verifiedWeights loss weights of the verified labels; the first is the main one, the others
     *                        are measured for the best strategy at the largest share
     */
    public record Settings(
            long seed,
            SynthWorld world,
            int imageSize,
            int trainImages,
            int testImages,
            List<Double> shares,
            List<SelectionStrategy> strategies,
            int randomSeeds,
            int epochs,
            List<Float> verifiedWeights) {}

    /**
     * One measurement.
     *
     * @param strategy        the strategy ({@code none} for no answers)
     * @param answers         images answered
     * @param share           their share of the train images
     * @param trainLabelMap   train-label mAP (%)
     * @param heldOutMap      held-out mAP (%) of the classifier refined on the labels; NaN when not trained
     * @param unreviewedBiasIn  label mAP (%) of the unreviewed images, bias over every image
     * @param unreviewedBiasOut the same, bias without the reviewed images
     * @param verifiedWeight  the loss weight of the verified labels
     */
    public record Row(
            String strategy,
            int answers,
            double share,
            double trainLabelMap,
            double heldOutMap,
            double unreviewedBiasIn,
            double unreviewedBiasOut,
            float verifiedWeight) {}

    /** Everything measured. */
    public record Result(Settings settings, String images, List<Row> rows, double seconds) {}

    /** Runs the bench. */
    public static Result run(Settings settings, Path work, PrintStream log)
            throws IOException, ClipModelException, ClassifierException {
        long started = System.nanoTime();
        BenchImages images = BenchImages.synthScenes(
                settings.seed(), settings.world(), settings.imageSize(), settings.trainImages(), settings.testImages());
        List<String> names = images.classNames();
        int n = images.train().size();
        List<RgbImage> train = decode(images.train());
        List<RgbImage> test = decode(images.heldOut());
        boolean[][] truth =
                images.train().stream().map(BenchImages.BenchImage::truth).toArray(boolean[][]::new);
        boolean[][] testTruth =
                images.heldOut().stream().map(BenchImages.BenchImage::truth).toArray(boolean[][]::new);
        Debias debias = new Debias(Debias.DEFAULT_FLOOR, FloorMode.RANK);
        Mix mix = new Mix(ALPHA);
        TrainerConfig trainer = trainerConfig(settings);

        try (ClipModel clip = ClipModel.load(BundledModels.extract(BundledModels.DEFAULT, work))) {
            ClassSet classSet = clip.classSet(names);
            float[][] raw = new float[n][];
            for (int i = 0; i < n; i += SCORING_BATCH) {
                float[][] scored = clip.scoreImages(classSet, train.subList(i, Math.min(n, i + SCORING_BATCH)));
                System.arraycopy(scored, 0, raw, i, scored.length);
            }
            float[] bias = bias(raw, null);
            float[][] global = debiased(raw, bias, debias);
            log.printf(Locale.ROOT, "scored %d train images with CLIP (%.0f s)%n", n, seconds(started));

            Path warm = work.resolve("review-warm.ckpt");
            String warmSha;
            float[][] rawLocal = new float[n][];
            boolean[] refined = new boolean[n];
            try (Classifier classifier = Classifier.create(trainer.classifierConfig())) {
                try (ClassifierTrainer t = classifier.newTrainer(trainer.optimiser())) {
                    for (int e = 0; e < WARMUP_EPOCHS; e++) {
                        t.trainEpoch(train, global, 0f);
                    }
                }
                warmSha = classifier.save(warm);
                CcdImageScorer scorer = new CcdImageScorer(clip, RefinementSettings.DEFAULTS);
                for (int i = 0; i < n; i += SCORING_BATCH) {
                    List<ScoredImage> scored =
                            scorer.scoreRefined(classSet, train.subList(i, Math.min(n, i + SCORING_BATCH)), classifier);
                    for (int j = 0; j < scored.size(); j++) {
                        rawLocal[i + j] = scored.get(j).local();
                        refined[i + j] = !scored.get(j).boxes().isEmpty();
                    }
                }
            }
            float[][] labels = labels(global, rawLocal, refined, bias, debias, mix);
            float[][] local = localScores(rawLocal, refined, bias, debias);
            log.printf(
                    Locale.ROOT,
                    "warm-up and CAM refinement: %d of %d images refined, label mAP %.1f (%.0f s)%n",
                    count(refined),
                    n,
                    MeanAveragePrecision.of(labels, truth).map(),
                    seconds(started));

            List<Row> rows = new ArrayList<>();
            float mainWeight = settings.verifiedWeights().get(0);
            double baseHeldOut = heldOut(
                    warm, warmSha, trainer, train, labels, new boolean[n], mainWeight, settings, test, testTruth);
            double baseMap = MeanAveragePrecision.of(labels, truth).map();
            rows.add(new Row("none", 0, 0, baseMap, baseHeldOut, baseMap, baseMap, mainWeight));
            log.printf(
                    Locale.ROOT,
                    "no answers: train-label mAP %.1f, held-out mAP %.1f (%.0f s)%n",
                    baseMap,
                    baseHeldOut,
                    seconds(started));
            long[] positives = positives(labels);
            double largest = Collections.max(settings.shares());
            for (SelectionStrategy strategy : settings.strategies()) {
                int repeats = strategy == SelectionStrategy.RANDOM ? settings.randomSeeds() : 1;
                for (double share : settings.shares()) {
                    int answers = (int) Math.round(share * n);
                    double[] sums = new double[4];
                    for (int r = 0; r < repeats; r++) {
                        ActiveSelection selection = new ActiveSelection(strategy, settings.seed() + r);
                        boolean[] reviewed = select(selection, images, labels, global, local, positives, answers);
                        float[][] verified = verify(labels, truth, reviewed);
                        float[] biasOut = bias(raw, reviewed);
                        float[][] relabelled = verify(
                                labels(debiased(raw, biasOut, debias), rawLocal, refined, biasOut, debias, mix),
                                truth,
                                reviewed);
                        sums[0] += MeanAveragePrecision.of(verified, truth).map();
                        // training is the expensive part: the classifier is measured at the largest share only
                        sums[1] += share == largest
                                ? heldOut(
                                        warm,
                                        warmSha,
                                        trainer,
                                        train,
                                        verified,
                                        reviewed,
                                        mainWeight,
                                        settings,
                                        test,
                                        testTruth)
                                : Double.NaN;
                        sums[2] += unreviewedMap(verified, truth, reviewed);
                        sums[3] += unreviewedMap(relabelled, truth, reviewed);
                    }
                    Row row = new Row(
                            strategy.id(),
                            answers,
                            share,
                            sums[0] / repeats,
                            sums[1] / repeats,
                            sums[2] / repeats,
                            sums[3] / repeats,
                            mainWeight);
                    rows.add(row);
                    log.printf(
                            Locale.ROOT,
                            "%s, %d answers (%.0f%%): train-label mAP %.1f, held-out mAP %.1f; unreviewed labels, bias"
                                    + " with/without the reviewed images %.2f/%.2f (%.0f s)%n",
                            strategy.id(),
                            answers,
                            100 * share,
                            row.trainLabelMap(),
                            row.heldOutMap(),
                            row.unreviewedBiasIn(),
                            row.unreviewedBiasOut(),
                            seconds(started));
                }
            }
            // the weight of the verified labels, for the best strategy at the largest share
            Row best = rows.stream()
                    .filter(r -> r.share() == largest && !r.strategy().equals(SelectionStrategy.RANDOM.id()))
                    .max(Comparator.comparingDouble(Row::heldOutMap))
                    .orElse(null);
            if (best != null) {
                for (float weight : settings.verifiedWeights()
                        .subList(1, settings.verifiedWeights().size())) {
                    boolean[] reviewed = select(
                            new ActiveSelection(SelectionStrategy.of(best.strategy()), settings.seed()),
                            images,
                            labels,
                            global,
                            local,
                            positives,
                            best.answers());
                    float[][] verified = verify(labels, truth, reviewed);
                    double map = heldOut(
                            warm, warmSha, trainer, train, verified, reviewed, weight, settings, test, testTruth);
                    rows.add(new Row(
                            best.strategy(),
                            best.answers(),
                            best.share(),
                            best.trainLabelMap(),
                            map,
                            best.unreviewedBiasIn(),
                            best.unreviewedBiasOut(),
                            weight));
                    log.printf(
                            Locale.ROOT,
                            "%s at %d answers, verified weight %.1f: held-out mAP %.1f (%.0f s)%n",
                            best.strategy(),
                            best.answers(),
                            weight,
                            map,
                            seconds(started));
                }
            }
            return new Result(settings, images.name(), rows, seconds(started));
        }
    }

    /** The {@code answers} images {@code selection} ranks first, as the dashboard's queue would ask them. */
    private static boolean[] select(
            ActiveSelection selection,
            BenchImages images,
            float[][] labels,
            float[][] global,
            float[][] local,
            long[] positives,
            int answers) {
        Integer[] order = IntStream.range(0, labels.length).boxed().toArray(Integer[]::new);
        double[] usefulness = new double[labels.length];
        for (int i = 0; i < labels.length; i++) {
            usefulness[i] = selection.usefulness(images.train().get(i).id(), labels[i], global[i], local[i], positives);
        }
        java.util.Arrays.sort(
                order, Comparator.comparingDouble((Integer i) -> usefulness[i]).reversed());
        boolean[] reviewed = new boolean[labels.length];
        for (int k = 0; k < answers; k++) {
            reviewed[order[k]] = true;
        }
        return reviewed;
    }

    /** The labels with every class of a reviewed image set to the truth (the simulated reviewer answers all). */
    static float[][] verify(float[][] labels, boolean[][] truth, boolean[] reviewed) {
        float[][] out = new float[labels.length][];
        for (int i = 0; i < labels.length; i++) {
            out[i] = labels[i].clone();
            if (reviewed[i]) {
                for (int c = 0; c < out[i].length; c++) {
                    out[i][c] = truth[i][c] ? 1f : 0f;
                }
            }
        }
        return out;
    }

    /** The held-out mAP of the warm classifier refined on {@code labels}, reviewed images weighted {@code weight}. */
    private static double heldOut(
            Path warm,
            String warmSha,
            TrainerConfig trainer,
            List<RgbImage> train,
            float[][] labels,
            boolean[] reviewed,
            float weight,
            Settings settings,
            List<RgbImage> test,
            boolean[][] testTruth)
            throws IOException, ClassifierException {
        try (Classifier classifier = Classifier.load(warm, warmSha);
                ClassifierTrainer t = classifier.newTrainer(trainer.optimiser())) {
            int batch = trainer.optimiser().batchSize();
            Random order = new Random(settings.seed());
            List<Integer> indices =
                    new ArrayList<>(IntStream.range(0, train.size()).boxed().toList());
            for (int e = 0; e < settings.epochs(); e++) {
                Collections.shuffle(indices, order);
                for (int start = 0; start < indices.size(); start += batch) {
                    List<Integer> b = indices.subList(start, Math.min(indices.size(), start + batch));
                    float[] weights = new float[b.size()];
                    for (int k = 0; k < weights.length; k++) {
                        weights[k] = reviewed[b.get(k)] ? weight : 1f;
                    }
                    t.trainStep(
                            b.stream().map(train::get).toList(),
                            b.stream().map(i -> labels[i]).toArray(float[][]::new),
                            weights,
                            1f);
                }
            }
            return MeanAveragePrecision.of(classifier.predict(test), testTruth).map();
        }
    }

    private static double unreviewedMap(float[][] labels, boolean[][] truth, boolean[] reviewed) {
        List<Integer> kept = IntStream.range(0, labels.length)
                .filter(i -> !reviewed[i])
                .boxed()
                .toList();
        return MeanAveragePrecision.of(
                        kept.stream().map(i -> labels[i]).toArray(float[][]::new),
                        kept.stream().map(i -> truth[i]).toArray(boolean[][]::new))
                .map();
    }

    private static float[] bias(float[][] raw, boolean[] excluded) {
        BiasAggregate aggregate = BiasAggregate.empty(raw[0].length);
        for (int i = 0; i < raw.length; i++) {
            if (excluded == null || !excluded[i]) {
                aggregate = aggregate.add(raw[i], BiasAggregate.DEFAULT_ENTROPY_THRESHOLD);
            }
        }
        return aggregate.bias();
    }

    private static float[][] debiased(float[][] raw, float[] bias, Debias debias) {
        float[][] out = new float[raw.length][];
        for (int i = 0; i < raw.length; i++) {
            out[i] = debias.apply(raw[i], bias);
        }
        return out;
    }

    private static float[][] localScores(float[][] rawLocal, boolean[] refined, float[] bias, Debias debias) {
        float[][] out = new float[rawLocal.length][];
        for (int i = 0; i < rawLocal.length; i++) {
            out[i] = refined[i] ? debias.apply(rawLocal[i], bias) : null;
        }
        return out;
    }

    /** As the labeler: the mix of global and local where a crop was scored, the global label elsewhere. */
    private static float[][] labels(
            float[][] global, float[][] rawLocal, boolean[] refined, float[] bias, Debias debias, Mix mix) {
        float[][] out = new float[global.length][];
        for (int i = 0; i < global.length; i++) {
            out[i] = refined[i] ? mix.apply(global[i], debias.apply(rawLocal[i], bias)) : global[i].clone();
        }
        return out;
    }

    private static long[] positives(float[][] labels) {
        long[] counts = new long[labels[0].length];
        for (float[] row : labels) {
            for (int c = 0; c < row.length; c++) {
                counts[c] += row[c] >= ActiveSelection.THRESHOLD ? 1 : 0;
            }
        }
        return counts;
    }

    private static int count(boolean[] flags) {
        int k = 0;
        for (boolean f : flags) {
            k += f ? 1 : 0;
        }
        return k;
    }

    private static List<RgbImage> decode(List<BenchImages.BenchImage> images) throws IOException {
        ImageDecoder decoder = ImageDecoder.builder().build();
        List<RgbImage> out = new ArrayList<>(images.size());
        for (BenchImages.BenchImage image : images) {
            try {
                out.add(decoder.decode(image.read()).image());
            } catch (ImageInputException e) {
                throw new IOException("SynthScenes image " + image.id() + " does not decode", e);
            }
        }
        return out;
    }

    static TrainerConfig trainerConfig(Settings settings) {
        return new TrainerConfig(Map.of(
                TrainerConfig.BOOTSTRAP_SERVERS,
                "unused:9092",
                TrainerConfig.SCHEMA_REGISTRY_URL,
                "http://unused:8081",
                TrainerConfig.CLASS_SET_ID,
                "review-bench",
                TrainerConfig.CLASS_NAMES,
                String.join(",", io.ccdstream.data.synth.SynthClass.names()),
                TrainerConfig.INPUT_SIZE,
                settings.imageSize(),
                TrainerConfig.SEED,
                settings.seed()));
    }

    private static double seconds(long since) {
        return (System.nanoTime() - since) / 1e9;
    }
}
