package io.ccdstream.bench;

import io.ccdstream.data.synth.SynthClass;
import io.ccdstream.data.synth.SynthScene;
import io.ccdstream.data.synth.SynthScenes;
import io.ccdstream.method.ccd.BiasAggregate;
import io.ccdstream.method.ccd.Debias;
import io.ccdstream.method.ccd.FloorMode;
import io.ccdstream.method.image.ImageDecoder;
import io.ccdstream.method.image.RgbImage;
import io.ccdstream.method.metrics.AveragePrecision;
import io.ccdstream.method.metrics.MeanAveragePrecision;
import io.ccdstream.models.BundledModels;
import io.ccdstream.models.clip.ClassSet;
import io.ccdstream.models.clip.ClipModel;
import io.ccdstream.models.clip.ClipModelException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The global view's labels under each debias rule, measured without Kafka: CLIP probabilities of
 * SynthScenes images, the bias over the same images (the entropy rule of ALGORITHM.md section 2),
 * each {@link FloorMode}, and the mAP of the result against the ground truth. Per-class AP only
 * depends on each class's ranking of the images, so a rule that ties scores loses mAP and one that
 * keeps their order scores as the raw probabilities do.
 *
 * <p>Run with {@code java ... io.ccdstream.bench.DebiasStudy [images] [seed] [size]}.
 */
public final class DebiasStudy {

    /** One debias rule's figures. */
    public record Row(String rule, double map, double tiedShare, double atLeastHalfShare) {}

    private DebiasStudy() {}

    /**
     * @param probabilities the images' global CLIP probabilities, {@code [image][class]}
     * @param truth         their ground truth
     * @param floor         the debias floor
     * @return the raw scores' row and one per floor mode (and the class-count floor {@code 1/C})
     */
    public static List<Row> rows(float[][] probabilities, boolean[][] truth, float floor) {
        BiasAggregate aggregate = BiasAggregate.empty(probabilities[0].length);
        for (float[] p : probabilities) {
            aggregate = aggregate.add(p, BiasAggregate.DEFAULT_ENTROPY_THRESHOLD);
        }
        float[] bias = aggregate.bias();
        Map<String, float[][]> rules = new LinkedHashMap<>();
        rules.put("raw probabilities", probabilities);
        for (FloorMode mode : FloorMode.values()) {
            rules.put(
                    String.format(Locale.ROOT, "%s, floor %.4f", mode, floor),
                    debias(probabilities, bias, new Debias(floor, mode)));
        }
        float perClass = 1f / probabilities[0].length;
        if (perClass != floor) {
            for (FloorMode mode : FloorMode.values()) {
                rules.put(
                        String.format(Locale.ROOT, "%s, floor 1/C = %.4f", mode, perClass),
                        debias(probabilities, bias, new Debias(perClass, mode)));
            }
        }
        List<Row> rows = new ArrayList<>();
        rules.forEach((rule, labels) -> rows.add(new Row(
                rule,
                MeanAveragePrecision.of(labels, truth).map(),
                tiedShare(labels, probabilities),
                atLeastHalfShare(labels))));
        return rows;
    }

    private static float[][] debias(float[][] probabilities, float[] bias, Debias debias) {
        float[][] out = new float[probabilities.length][];
        for (int i = 0; i < probabilities.length; i++) {
            out[i] = debias.apply(probabilities[i], bias);
        }
        return out;
    }

    /**
     * Share of (image, class) values equal to another image's value of the same class whose raw
     * probability differs: the ties a rule made.
     */
    static double tiedShare(float[][] labels, float[][] raw) {
        int images = labels.length;
        int classes = labels[0].length;
        long tied = 0;
        for (int c = 0; c < classes; c++) {
            Map<Float, Float> firstRaw = new LinkedHashMap<>();
            Map<Float, Boolean> mixed = new LinkedHashMap<>();
            for (float[] row : labels) {
                mixed.putIfAbsent(row[c], false);
            }
            for (int i = 0; i < images; i++) {
                Float previous = firstRaw.putIfAbsent(labels[i][c], raw[i][c]);
                if (previous != null && previous != raw[i][c]) {
                    mixed.put(labels[i][c], true);
                }
            }
            for (float[] row : labels) {
                if (mixed.get(row[c])) {
                    tied++;
                }
            }
        }
        return (double) tied / ((long) images * classes);
    }

    private static double atLeastHalfShare(float[][] labels) {
        long half = 0;
        long all = 0;
        for (float[] row : labels) {
            for (float v : row) {
                half += v >= 0.5f ? 1 : 0;
                all++;
            }
        }
        return (double) half / all;
    }

    /** Scores {@code images} SynthScenes images of {@code seed} at {@code size} px and prints the rows. */
    public static void main(String[] args) throws ClipModelException, java.io.IOException {
        int count = args.length > 0 ? Integer.parseInt(args[0]) : 1000;
        long seed = args.length > 1 ? Long.parseLong(args[1]) : 7;
        int size = args.length > 2 ? Integer.parseInt(args[2]) : 96;
        Path work = Files.createTempDirectory("ccd-debias-study");
        List<String> names = SynthClass.names();
        SynthScenes generator = new SynthScenes(seed, size, SynthScenes.DEFAULT_NONE_SHARE);
        ImageDecoder decoder = ImageDecoder.builder().build();
        float[][] probabilities = new float[count][];
        boolean[][] truth = new boolean[count][names.size()];
        try (ClipModel clip = ClipModel.load(BundledModels.extract(BundledModels.DEFAULT, work))) {
            ClassSet classSet = clip.classSet(names);
            List<RgbImage> batch = new ArrayList<>();
            for (int i = 0; i < count; i++) {
                SynthScene scene = generator.generate(i);
                for (String label : scene.labels()) {
                    truth[i][names.indexOf(label)] = true;
                }
                batch.add(decoder.decode(scene.png()).image());
                if (batch.size() == 32 || i == count - 1) {
                    float[][] scored = clip.scoreImages(classSet, batch);
                    System.arraycopy(scored, 0, probabilities, i + 1 - scored.length, scored.length);
                    batch.clear();
                }
            }
        }
        System.out.printf(
                Locale.ROOT,
                "SynthScenes seed %d, %d images of %d px, bundled %s%n",
                seed,
                count,
                size,
                BundledModels.DEFAULT);
        System.out.println("| rule | global-view mAP | tied values | values >= 0.5 |");
        System.out.println("|---|---:|---:|---:|");
        for (Row row : rows(probabilities, truth, Debias.DEFAULT_FLOOR)) {
            System.out.printf(
                    Locale.ROOT,
                    "| %s | %.1f | %.1f%% | %.1f%% |%n",
                    row.rule(),
                    row.map(),
                    100 * row.tiedShare(),
                    100 * row.atLeastHalfShare());
        }
        System.out.println();
        System.out.println("| none-image signal | detection AP (%) |");
        System.out.println("|---|---:|");
        noneSignals(probabilities, truth, Debias.DEFAULT_FLOOR)
                .forEach((signal, ap) -> System.out.printf(Locale.ROOT, "| %s | %.1f |%n", signal, 100 * ap));
    }

    /**
     * Average precision of detecting the images without any class of the set ("none" images, no
     * ground-truth class) from scores alone, for several signals.
     */
    public static Map<String, Double> noneSignals(float[][] probabilities, boolean[][] truth, float floor) {
        BiasAggregate aggregate = BiasAggregate.empty(probabilities[0].length);
        for (float[] p : probabilities) {
            aggregate = aggregate.add(p, BiasAggregate.DEFAULT_ENTROPY_THRESHOLD);
        }
        float[] bias = aggregate.bias();
        boolean[] none = new boolean[truth.length];
        double[] entropy = new double[truth.length];
        double[] lowTop = new double[truth.length];
        double[] lowDebiasedTop = new double[truth.length];
        Debias rank = new Debias(floor, FloorMode.RANK);
        for (int i = 0; i < truth.length; i++) {
            none[i] = true;
            for (boolean t : truth[i]) {
                none[i] &= !t;
            }
            entropy[i] = io.ccdstream.method.ccd.Entropy.of(probabilities[i]);
            lowTop[i] = -max(probabilities[i]);
            lowDebiasedTop[i] = -max(rank.apply(probabilities[i], bias));
        }
        Map<String, Double> signals = new LinkedHashMap<>();
        signals.put("chance (share of none images)", share(none));
        signals.put("entropy of the raw probabilities", AveragePrecision.of(entropy, none));
        signals.put("low top-1 raw probability", AveragePrecision.of(lowTop, none));
        signals.put("low top-1 debiased score (RANK)", AveragePrecision.of(lowDebiasedTop, none));
        return signals;
    }

    private static double share(boolean[] flags) {
        int n = 0;
        for (boolean f : flags) {
            n += f ? 1 : 0;
        }
        return (double) n / flags.length;
    }

    private static float max(float[] values) {
        float m = Float.NEGATIVE_INFINITY;
        for (float v : values) {
            m = Math.max(m, v);
        }
        return m;
    }
}
