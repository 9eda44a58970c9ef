package io.ccdstream.models.miniclip;

import io.ccdstream.data.synth.SynthClass;
import io.ccdstream.data.synth.SynthScene;
import io.ccdstream.data.synth.SynthScenes;
import io.ccdstream.data.synth.SynthWorld;
import io.ccdstream.method.image.ImageDecoder;
import io.ccdstream.method.image.RgbImage;
import io.ccdstream.method.metrics.AveragePrecision;
import io.ccdstream.method.metrics.MeanAveragePrecision;
import io.ccdstream.models.clip.ClassSet;
import io.ccdstream.models.clip.ClipModel;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;

/**
 * How a CLIP model behaves zero-shot on a held-out SynthScenes split, in the terms CCD cares
 * about (ALGORITHM.md sections 1, 2 and 6): mAP of the global view, view dependence (the paper's
 * Fig. 1) and class bias (Fig. 2d). Scores are the softmax probabilities of the prompt {@code "a
 * photo of the {class}"} over the 20 SynthScenes classes; AP is scikit-learn's
 * {@code average_precision_score} ({@link AveragePrecision}), a class without positives scoring 0.
 *
 * <pre>{@code
 * MiniClipReport report = MiniClipReport.run(clip, 1001, 1000);
 * System.out.print(report.format());
 * }</pre>
 *
 * @param modelId the model measured
 * @param world the SynthScenes world of the split
 * @param heldOutSeed the SynthScenes seed of the split (default size, "none" share and the world's
 *     small share)
 * @param images number of images of the split
 * @param perClassAp AP of the global view per class, in {@link SynthClass#ALL} order
 * @param map mean of {@code perClassAp} times 100
 * @param chanceMap the mAP of uninformative scores: the mean class prevalence times 100
 * @param viewDependence small objects against large ones, and crops against the global view
 * @param classBias per-class mean top-1 probability
 */
public record MiniClipReport(
        String modelId,
        SynthWorld world,
        long heldOutSeed,
        int images,
        double[] perClassAp,
        double map,
        double chanceMap,
        ViewDependence viewDependence,
        ClassBias classBias) {

    /** Default held-out SynthScenes seed (the bundled model is trained on seed 1). */
    public static final long DEFAULT_HELD_OUT_SEED = 1001;
    /** Default number of held-out images. */
    public static final int DEFAULT_IMAGES = 1000;
    /** A crop's side is the larger side of the object's box times this, centred on the box. */
    public static final double CROP_ENLARGEMENT = 1.5;
    /** Crops are at least this many pixels wide. */
    public static final int MIN_CROP_SIDE = 16;
    /** A class enters the bias spread only if it is the top-1 class of at least this many images. */
    public static final int MIN_TOP1_IMAGES = 3;

    /** Copies the array. */
    public MiniClipReport {
        perClassAp = perClassAp.clone();
    }

    /** @return a copy of the per-class AP */
    @Override
    public double[] perClassAp() {
        return perClassAp.clone();
    }

    /**
     * View dependence. A (image, class) pair is <em>small-only</em> when every object of the class
     * in the image is small (box at most {@link SynthScenes#SMALL_AREA_SHARE} of the image), and
     * <em>large</em> when at least one is not. Probabilities are pooled over pairs; APs are per
     * class (the class's pairs of one kind as positives, the images without the class as
     * negatives) and averaged over the classes that have pairs of both kinds. For every small-only
     * pair, the largest small object of the class is cropped ({@link #CROP_ENLARGEMENT}) and
     * scored like an image.
     *
     * @param smallOnlyPairs number of small-only pairs
     * @param largePairs number of large pairs
     * @param smallOnlyProbability mean global-view probability of the class over small-only pairs
     * @param largeProbability mean global-view probability of the class over large pairs
     * @param smallOnlyAp mean AP with small-only positives
     * @param largeAp mean AP with large positives
     * @param cropProbability mean probability of the class in the crops of the small-only pairs
     * @param cropWinShare share of small-only pairs whose crop scores the class higher than the
     *     global view
     */
    public record ViewDependence(
            int smallOnlyPairs,
            int largePairs,
            double smallOnlyProbability,
            double largeProbability,
            double smallOnlyAp,
            double largeAp,
            double cropProbability,
            double cropWinShare) {

        /** @return large minus small-only mean probability */
        public double probabilityGap() {
            return largeProbability - smallOnlyProbability;
        }

        /** @return large minus small-only AP */
        public double apGap() {
            return largeAp - smallOnlyAp;
        }

        /** @return crop minus global-view mean probability over the small-only pairs */
        public double cropGain() {
            return cropProbability - smallOnlyProbability;
        }
    }

    /**
     * Class bias: for each class, the mean top-1 probability over the images whose top-1 class it
     * is (the paper's Fig. 2d and the bias of ALGORITHM.md section 2 without the entropy filter).
     *
     * @param meanTop1Probability per class, NaN for a class that is never top-1
     * @param top1Count per class, the number of images whose top-1 class it is
     * @param spread max minus min of the mean over the classes with at least {@link
     *     #MIN_TOP1_IMAGES} top-1 images
     */
    public record ClassBias(double[] meanTop1Probability, int[] top1Count, double spread) {

        /** Copies the arrays. */
        public ClassBias {
            meanTop1Probability = meanTop1Probability.clone();
            top1Count = top1Count.clone();
        }

        /** @return a copy of the per-class means */
        @Override
        public double[] meanTop1Probability() {
            return meanTop1Probability.clone();
        }

        /** @return a copy of the per-class counts */
        @Override
        public int[] top1Count() {
            return top1Count.clone();
        }
    }

    /**
     * Measures a model on images {@code 0 .. n-1} of {@code SynthScenes(heldOutSeed)} in the
     * {@link SynthWorld#SMALL_OBJECTS} world (default size, "none" share and small share, uniform
     * classes).
     *
     * @param clip the model; its class names must be the SynthScenes class names
     * @param heldOutSeed a seed the model was not trained on
     * @param n number of images, at least 1
     * @return the report
     */
    public static MiniClipReport run(ClipModel clip, long heldOutSeed, int n) {
        return run(clip, SynthWorld.SMALL_OBJECTS, heldOutSeed, n);
    }

    /**
     * Measures a model on images {@code 0 .. n-1} of SynthScenes seed {@code heldOutSeed} of
     * {@code world} (default size and "none" share, the world's small share, uniform classes).
     *
     * @param clip the model; its class names must be the SynthScenes class names
     * @param world the world of the split
     * @param heldOutSeed a seed the model was not trained on
     * @param n number of images, at least 1
     * @return the report
     */
    public static MiniClipReport run(ClipModel clip, SynthWorld world, long heldOutSeed, int n) {
        if (n < 1) {
            throw new IllegalArgumentException("need at least one image, got " + n);
        }
        List<String> names = SynthClass.names();
        ClassSet classSet = clip.classSet(names);
        SynthScenes scenes =
                SynthScenes.builder().setSeed(heldOutSeed).optWorld(world).build();
        ImageDecoder decoder = ImageDecoder.builder().build();
        List<SynthScene> split = new ArrayList<>(n);
        List<RgbImage> images = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            SynthScene scene = scenes.generate(i);
            split.add(scene);
            images.add(decoder.decode(scene.png()).image());
        }
        float[][] probabilities = clip.scoreImages(classSet, images);
        boolean[][] positives = new boolean[n][names.size()];
        int labels = 0;
        for (int i = 0; i < n; i++) {
            for (String label : split.get(i).labels()) {
                positives[i][names.indexOf(label)] = true;
                labels++;
            }
        }
        double chanceMap = 100.0 * labels / ((double) n * names.size());
        MeanAveragePrecision map = MeanAveragePrecision.of(probabilities, positives);
        ViewDependence view = viewDependence(clip, classSet, split, images, probabilities);
        return new MiniClipReport(
                clip.descriptor().modelId(),
                world,
                heldOutSeed,
                n,
                map.perClass(),
                map.map(),
                chanceMap,
                view,
                classBias(probabilities));
    }

    private static ViewDependence viewDependence(
            ClipModel clip, ClassSet classSet, List<SynthScene> split, List<RgbImage> images, float[][] probabilities) {
        List<String> names = classSet.classNames();
        int classes = names.size();
        // kind per (image, class): 0 absent, 1 small-only, 2 large
        int[][] kind = new int[split.size()][classes];
        List<int[]> smallPairs = new ArrayList<>();
        List<RgbImage> crops = new ArrayList<>();
        double largeSum = 0;
        int largeCount = 0;
        for (int i = 0; i < split.size(); i++) {
            SynthScene scene = split.get(i);
            for (int c = 0; c < classes; c++) {
                String name = names.get(c);
                List<SynthScene.SynthObject> objects = scene.objects().stream()
                        .filter(o -> o.className().equals(name))
                        .toList();
                if (objects.isEmpty()) {
                    continue;
                }
                if (objects.stream().allMatch(scene::isSmall)) {
                    kind[i][c] = 1;
                    smallPairs.add(new int[] {i, c});
                    SynthScene.SynthObject largest = objects.stream()
                            .max(Comparator.comparingInt(SynthScene.SynthObject::area))
                            .orElseThrow();
                    crops.add(crop(images.get(i), largest));
                } else {
                    kind[i][c] = 2;
                    largeSum += probabilities[i][c];
                    largeCount++;
                }
            }
        }
        float[][] cropProbabilities = crops.isEmpty() ? new float[0][] : clip.scoreImages(classSet, crops);
        double smallSum = 0;
        double cropSum = 0;
        int wins = 0;
        for (int k = 0; k < smallPairs.size(); k++) {
            int i = smallPairs.get(k)[0];
            int c = smallPairs.get(k)[1];
            smallSum += probabilities[i][c];
            cropSum += cropProbabilities[k][c];
            wins += cropProbabilities[k][c] > probabilities[i][c] ? 1 : 0;
        }
        int smallCount = smallPairs.size();
        double[] aps = kindAps(kind, probabilities);
        return new ViewDependence(
                smallCount,
                largeCount,
                mean(smallSum, smallCount),
                mean(largeSum, largeCount),
                aps[0],
                aps[1],
                mean(cropSum, smallCount),
                mean(wins, smallCount));
    }

    /** @return mean AP with small-only positives and mean AP with large positives, over classes having both */
    private static double[] kindAps(int[][] kind, float[][] probabilities) {
        int classes = kind.length == 0 ? 0 : kind[0].length;
        double smallSum = 0;
        double largeSum = 0;
        int counted = 0;
        for (int c = 0; c < classes; c++) {
            List<Float> smallScores = new ArrayList<>();
            List<Float> largeScores = new ArrayList<>();
            List<Float> negativeScores = new ArrayList<>();
            for (int i = 0; i < kind.length; i++) {
                List<Float> target = kind[i][c] == 0 ? negativeScores : kind[i][c] == 1 ? smallScores : largeScores;
                target.add(probabilities[i][c]);
            }
            if (smallScores.isEmpty() || largeScores.isEmpty() || negativeScores.isEmpty()) {
                continue;
            }
            smallSum += apOf(smallScores, negativeScores);
            largeSum += apOf(largeScores, negativeScores);
            counted++;
        }
        return new double[] {mean(smallSum, counted), mean(largeSum, counted)};
    }

    private static double apOf(List<Float> positiveScores, List<Float> negativeScores) {
        int n = positiveScores.size() + negativeScores.size();
        double[] scores = new double[n];
        boolean[] positive = new boolean[n];
        for (int k = 0; k < positiveScores.size(); k++) {
            scores[k] = positiveScores.get(k);
            positive[k] = true;
        }
        for (int k = 0; k < negativeScores.size(); k++) {
            scores[positiveScores.size() + k] = negativeScores.get(k);
        }
        return AveragePrecision.of(scores, positive);
    }

    /** A square crop around the box, {@link #CROP_ENLARGEMENT} times its larger side, moved inside the image. */
    static RgbImage crop(RgbImage image, SynthScene.SynthObject box) {
        int boxSide = Math.max(box.x1() - box.x0(), box.y1() - box.y0());
        int side = Math.min(Math.min(image.width(), image.height()), Math.max(MIN_CROP_SIDE, (int)
                Math.round(boxSide * CROP_ENLARGEMENT)));
        int x = clamp((box.x0() + box.x1() - side) / 2, image.width() - side);
        int y = clamp((box.y0() + box.y1() - side) / 2, image.height() - side);
        return image.crop(x, y, side, side);
    }

    private static int clamp(int v, int max) {
        return Math.max(0, Math.min(max, v));
    }

    private static ClassBias classBias(float[][] probabilities) {
        int classes = probabilities[0].length;
        double[] sum = new double[classes];
        int[] count = new int[classes];
        for (float[] p : probabilities) {
            int top = 0;
            for (int c = 1; c < classes; c++) {
                top = p[c] > p[top] ? c : top;
            }
            sum[top] += p[top];
            count[top]++;
        }
        double[] mean = new double[classes];
        double min = Double.POSITIVE_INFINITY;
        double max = Double.NEGATIVE_INFINITY;
        for (int c = 0; c < classes; c++) {
            mean[c] = count[c] == 0 ? Double.NaN : sum[c] / count[c];
            if (count[c] >= MIN_TOP1_IMAGES) {
                min = Math.min(min, mean[c]);
                max = Math.max(max, mean[c]);
            }
        }
        return new ClassBias(mean, count, max >= min ? max - min : 0);
    }

    private static double mean(double sum, int count) {
        return count == 0 ? Double.NaN : sum / count;
    }

    /** @return the report as text: the headline figures, then one line per class */
    public String format() {
        StringBuilder out = new StringBuilder();
        ViewDependence v = viewDependence;
        out.append(String.format(
                Locale.ROOT,
                "mini-CLIP report: model %s, held-out SynthScenes seed %d, %d images, world %s%n",
                modelId,
                heldOutSeed,
                images,
                world.id()));
        out.append(String.format(
                Locale.ROOT,
                "zero-shot mAP (global view, \"a photo of the {class}\"): %.1f" + " (chance %.1f)%n",
                map,
                chanceMap));
        out.append(String.format(
                Locale.ROOT,
                "view dependence: %d small-only pairs, %d large pairs%n",
                v.smallOnlyPairs(),
                v.largePairs()));
        out.append(String.format(
                Locale.ROOT,
                "  mean probability  small-only %.3f  large %.3f  (gap %.3f)%n",
                v.smallOnlyProbability(),
                v.largeProbability(),
                v.probabilityGap()));
        out.append(String.format(
                Locale.ROOT,
                "  AP                small-only %.3f  large %.3f  (gap %.3f)%n",
                v.smallOnlyAp(),
                v.largeAp(),
                v.apGap()));
        out.append(String.format(
                Locale.ROOT,
                "  crops of small objects: mean probability %.3f vs global %.3f"
                        + " (gain %.3f), crop higher in %.0f%% of pairs%n",
                v.cropProbability(),
                v.smallOnlyProbability(),
                v.cropGain(),
                100 * v.cropWinShare()));
        out.append(String.format(
                Locale.ROOT,
                "class bias: spread of per-class mean top-1 probability %.3f" + " (classes top-1 of >= %d images)%n",
                classBias.spread(),
                MIN_TOP1_IMAGES));
        out.append(String.format(Locale.ROOT, "  %-10s %6s %10s %6s%n", "class", "AP", "mean top1", "top1 n"));
        List<String> names = SynthClass.names();
        double[] meanTop1 = classBias.meanTop1Probability();
        int[] counts = classBias.top1Count();
        for (int c = 0; c < names.size(); c++) {
            out.append(String.format(
                    Locale.ROOT,
                    "  %-10s %6.3f %10s %6d%n",
                    names.get(c),
                    perClassAp[c],
                    Double.isNaN(meanTop1[c]) ? "-" : String.format(Locale.ROOT, "%.3f", meanTop1[c]),
                    counts[c]));
        }
        return out.toString();
    }
}
