package io.ccdstream.bench;

import io.ccdstream.data.synth.SynthClass;
import io.ccdstream.data.synth.SynthScene;
import io.ccdstream.data.synth.SynthScenes;
import io.ccdstream.method.ccd.BiasAggregate;
import io.ccdstream.method.ccd.CamBoxConfig;
import io.ccdstream.method.ccd.ClassSelection;
import io.ccdstream.method.ccd.Debias;
import io.ccdstream.method.ccd.FloorMode;
import io.ccdstream.method.ccd.GridBaseline;
import io.ccdstream.method.ccd.Mix;
import io.ccdstream.method.image.ImageDecoder;
import io.ccdstream.method.image.RgbImage;
import io.ccdstream.method.metrics.MeanAveragePrecision;
import io.ccdstream.models.BundledModels;
import io.ccdstream.models.classifier.Classifier;
import io.ccdstream.models.classifier.ClassifierConfig;
import io.ccdstream.models.classifier.ClassifierTrainer;
import io.ccdstream.models.classifier.ClassifierTrainerConfig;
import io.ccdstream.models.clip.ClassSet;
import io.ccdstream.models.clip.ClipModel;
import io.ccdstream.models.scoring.CcdImageScorer;
import io.ccdstream.models.scoring.RefinementSettings;
import io.ccdstream.models.scoring.ScoredImage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Crop selection and box rules measured without Kafka: SynthScenes images scored by the bundled
 * mini-CLIP, a small-CNN classifier warmed up on their debiased global labels (2 epochs, BCE, as
 * the trainer's warm-up), then each refinement rule scores the same images in batches of 16 as the
 * scorer does, and the labels (debiased, mixed with alpha where a local view exists, the global
 * view's label elsewhere) are compared with the ground truth. Reports CLIP inferences per image,
 * the share of images with a crop, mean crops on one-object vs three-or-more-object images, and
 * the labels' mAP.
 *
 * <p>Run with {@code java ... io.ccdstream.bench.CropStudy [images] [seed] [size]}.
 */
public final class CropStudy {

    private static final int BATCH = 16;

    private CropStudy() {}

    /** One rule's figures. */
    public record Row(
            String rule,
            double clipPerImage,
            double shareWithCrop,
            double cropsSimple,
            double cropsComplex,
            double map) {}

    public static void main(String[] args) throws Exception {
        int count = args.length > 0 ? Integer.parseInt(args[0]) : 600;
        long seed = args.length > 1 ? Long.parseLong(args[1]) : 7;
        int size = args.length > 2 ? Integer.parseInt(args[2]) : 96;
        List<String> names = SynthClass.names();
        SynthScenes generator = new SynthScenes(seed, size, SynthScenes.DEFAULT_NONE_SHARE);
        ImageDecoder decoder = ImageDecoder.builder().build();
        List<RgbImage> images = new ArrayList<>();
        boolean[][] truth = new boolean[count][names.size()];
        int[] objects = new int[count];
        for (int i = 0; i < count; i++) {
            SynthScene scene = generator.generate(i);
            scene.labels().forEach(l -> truth[images.size()][names.indexOf(l)] = true);
            objects[i] = scene.objects().size();
            images.add(decoder.decode(scene.png()).image());
        }
        Path work = Files.createTempDirectory("ccd-crop-study");
        long started = System.nanoTime();
        try (ClipModel clip = ClipModel.load(BundledModels.extract(BundledModels.DEFAULT, work))) {
            ClassSet classSet = clip.classSet(names);
            float[][] global = new float[count][];
            for (int i = 0; i < count; i += BATCH) {
                float[][] scored = clip.scoreImages(classSet, images.subList(i, Math.min(count, i + BATCH)));
                System.arraycopy(scored, 0, global, i, scored.length);
            }
            BiasAggregate aggregate = BiasAggregate.empty(names.size());
            for (float[] p : global) {
                aggregate = aggregate.add(p, BiasAggregate.DEFAULT_ENTROPY_THRESHOLD);
            }
            float[] bias = aggregate.bias();
            Debias debias = new Debias(Debias.DEFAULT_FLOOR, FloorMode.CLAMP);
            float[][] targets = new float[count][];
            for (int i = 0; i < count; i++) {
                targets[i] = debias.apply(global[i], bias);
            }
            try (Classifier classifier = Classifier.create(ClassifierConfig.builder()
                    .setClassNames(names)
                    .optInputSize(size)
                    .optSeed(1)
                    .build())) {
                try (ClassifierTrainer trainer = classifier.newTrainer(ClassifierTrainerConfig.builder()
                        .optLearningRate(1e-3f)
                        .optSeed(1)
                        .build())) {
                    for (int epoch = 0; epoch < 2; epoch++) {
                        trainer.trainEpoch(images, targets, 0f);
                    }
                }
                System.out.printf(
                        Locale.ROOT,
                        "SynthScenes seed %d, %d images of %d px, bundled %s; warm-up 2 epochs; %.0f s%n",
                        seed,
                        count,
                        size,
                        BundledModels.DEFAULT,
                        (System.nanoTime() - started) / 1e9);
                Map<String, RefinementSettings> rules = rules();
                System.out.println(
                        "| rule | CLIP / image | images with a crop | crops, 1-object images | crops, 3+ objects | label mAP |");
                System.out.println("|---|---:|---:|---:|---:|---:|");
                print(globalRow(global, bias, debias, truth));
                for (var rule : rules.entrySet()) {
                    CcdImageScorer scorer = new CcdImageScorer(clip, rule.getValue());
                    List<ScoredImage> scored = new ArrayList<>();
                    for (int i = 0; i < count; i += BATCH) {
                        scored.addAll(scorer.scoreRefined(
                                classSet, images.subList(i, Math.min(count, i + BATCH)), classifier));
                    }
                    print(row(rule.getKey(), scored, bias, debias, new Mix(Mix.DEFAULT_ALPHA), truth, objects));
                }
                CcdImageScorer grid = new CcdImageScorer(clip, RefinementSettings.DEFAULTS);
                List<ScoredImage> tiles = new ArrayList<>();
                for (int i = 0; i < count; i += BATCH) {
                    tiles.addAll(grid.scoreGrid(
                            classSet, images.subList(i, Math.min(count, i + BATCH)), GridBaseline.DEFAULT));
                }
                print(row("CDUL 3x3 grid (raw, alpha 0.5)", tiles, null, null, new Mix(0.5f), truth, objects));
                System.out.printf(Locale.ROOT, "total %.0f s%n", (System.nanoTime() - started) / 1e9);
            }
        }
    }

    private static Map<String, RefinementSettings> rules() {
        Map<String, RefinementSettings> rules = new LinkedHashMap<>();
        CamBoxConfig one = CamBoxConfig.DEFAULTS;
        rules.put("fixed t = 0.5 (paper)", new RefinementSettings(ClassSelection.paperDefault(), one, true));
        rules.put(
                "calibrated 4-6 per batch of 16",
                new RefinementSettings(new ClassSelection.Calibrated(4, 6, 0), one, true));
        rules.put(
                "calibrated 4-6 over 256 images",
                new RefinementSettings(new ClassSelection.Calibrated(4, 6, 256), one, true));
        rules.put(
                "calibrated 2-3 over 256 images",
                new RefinementSettings(new ClassSelection.Calibrated(2, 3, 256), one, true));
        rules.put(
                "calibrated 2-3 over 256, up to 3 regions per class",
                new RefinementSettings(new ClassSelection.Calibrated(2, 3, 256), one.withMaxRegions(3), true));
        rules.put(
                "calibrated 4-6 over 256, offset 0.25",
                new RefinementSettings(new ClassSelection.Calibrated(4, 6, 256), one.withOffsetFraction(0.25f), true));
        rules.put(
                "calibrated 4-6 over 256, offset 0",
                new RefinementSettings(new ClassSelection.Calibrated(4, 6, 256), one.withOffsetFraction(0f), true));
        return rules;
    }

    private static Row globalRow(float[][] global, float[] bias, Debias debias, boolean[][] truth) {
        float[][] labels = new float[global.length][];
        for (int i = 0; i < global.length; i++) {
            labels[i] = debias.apply(global[i], bias);
        }
        return new Row(
                "global view only (debiased)",
                1,
                0,
                0,
                0,
                MeanAveragePrecision.of(labels, truth).map());
    }

    /** Labels as the labeler makes them; {@code debias} null: raw probabilities. */
    static Row row(
            String rule,
            List<ScoredImage> scored,
            float[] bias,
            Debias debias,
            Mix mix,
            boolean[][] truth,
            int[] objects) {
        float[][] labels = new float[scored.size()][];
        long inferences = 0;
        int withCrop = 0;
        double simpleCrops = 0;
        int simple = 0;
        double complexCrops = 0;
        int complex = 0;
        for (int i = 0; i < labels.length; i++) {
            ScoredImage s = scored.get(i);
            float[] g = debias == null ? s.global() : debias.apply(s.global(), bias);
            int crops = s.boxes().size();
            if (crops > 0) {
                float[] l = debias == null ? s.local() : debias.apply(s.local(), bias);
                labels[i] = mix.apply(g, l);
                withCrop++;
            } else {
                labels[i] = g;
            }
            inferences += s.clipInferences();
            if (objects[i] == 1) {
                simpleCrops += crops;
                simple++;
            } else if (objects[i] >= 3) {
                complexCrops += crops;
                complex++;
            }
        }
        return new Row(
                rule,
                (double) inferences / labels.length,
                (double) withCrop / labels.length,
                simple == 0 ? 0 : simpleCrops / simple,
                complex == 0 ? 0 : complexCrops / complex,
                MeanAveragePrecision.of(labels, truth).map());
    }

    private static void print(Row row) {
        System.out.printf(
                Locale.ROOT,
                "| %s | %.2f | %.0f%% | %.2f | %.2f | %.1f |%n",
                row.rule(),
                row.clipPerImage(),
                100 * row.shareWithCrop(),
                row.cropsSimple(),
                row.cropsComplex(),
                row.map());
        System.out.flush();
    }
}
