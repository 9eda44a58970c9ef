package io.ccdstream.streams.shadow;

import static org.assertj.core.api.Assertions.assertThat;

import io.ccdstream.data.synth.SynthClass;
import io.ccdstream.data.synth.SynthScene;
import io.ccdstream.data.synth.SynthScenes;
import io.ccdstream.method.image.ImageDecoder;
import io.ccdstream.method.image.RgbImage;
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
import io.ccdstream.schemas.CamBox;
import io.ccdstream.schemas.Scores;
import io.ccdstream.topics.FloatLists;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The label-free shadow signals on real models: a classifier trained on SynthScenes' classes and
 * one trained on the same images with the labels shuffled among them, each scored on other
 * images with the bundled mini-CLIP. The crop agreement must tell them apart by a wide margin,
 * and the default promotion rule must promote the first and reject the second.
 */
class ShadowSignalsIT {

    @TempDir
    Path dir;

    @Test
    void shouldTellAClassifierTrainedOnShuffledLabelsFromAGoodOne() throws Exception {
        try (ClipModel clip = ClipModel.load(BundledModels.extract(BundledModels.DEFAULT, dir))) {
            ClassSet classSet = clip.classSet(SynthClass.names());
            SynthScenes scenes = new SynthScenes(33, 64, 0.0);
            List<SynthScene> training = new ArrayList<>();
            for (int i = 0; i < Integer.getInteger("n", 160); i++) {
                training.add(scenes.generate(10_000 + i));
            }
            List<RgbImage> sample = new ArrayList<>();
            for (int i = 0; i < 64; i++) {
                sample.add(decode(scenes.generate(i)));
            }
            try (Classifier good = train(classSet, training, false, 1);
                    Classifier bad = train(classSet, training, true, 2)) {
                List<Scores> none =
                        scores(new CcdImageScorer(clip, RefinementSettings.DEFAULTS).scoreGlobal(classSet, sample));
                List<Scores> withGood = scores(
                        new CcdImageScorer(clip, RefinementSettings.DEFAULTS).scoreRefined(classSet, sample, good));
                List<Scores> withBad = scores(
                        new CcdImageScorer(clip, RefinementSettings.DEFAULTS).scoreRefined(classSet, sample, bad));
                ShadowEvaluation goodFirst = ShadowEvaluation.of(withGood, none);
                ShadowEvaluation badFirst = ShadowEvaluation.of(withBad, none);
                ShadowEvaluation badAfterGood = ShadowEvaluation.of(withBad, withGood);
                System.out.println("good vs none: " + goodFirst);
                System.out.println("bad vs none: " + badFirst);
                System.out.println("bad vs good: " + badAfterGood);
                boolean[][] truth = new boolean[sample.size()][classSet.size()];
                for (int i = 0; i < sample.size(); i++) {
                    for (String label : scenes.generate(i).labels()) {
                        truth[i][classSet.classNames().indexOf(label)] = true;
                    }
                }
                float[][] clipGlobal = new float[sample.size()][];
                for (int i = 0; i < sample.size(); i++) {
                    clipGlobal[i] = FloatLists.toArray(none.get(i).getGlobal());
                }
                System.out.printf(
                        "mAP vs truth: good %.1f bad %.1f clip %.1f%n",
                        io.ccdstream.method.metrics.MeanAveragePrecision.of(good.predict(sample), truth)
                                .map(),
                        io.ccdstream.method.metrics.MeanAveragePrecision.of(bad.predict(sample), truth)
                                .map(),
                        io.ccdstream.method.metrics.MeanAveragePrecision.of(clipGlobal, truth)
                                .map());
                assertThat(goodFirst.candidateCropAgreement()).isGreaterThan(badFirst.candidateCropAgreement() + 0.1);
            }
        }
    }

    static RgbImage decode(SynthScene scene) throws Exception {
        return ImageDecoder.builder().build().decode(scene.png()).image();
    }

    static List<Scores> scores(List<ScoredImage> scored) {
        List<Scores> out = new ArrayList<>();
        for (ScoredImage s : scored) {
            out.add(Scores.newBuilder()
                    .setImageId("x")
                    .setClassSetId("c")
                    .setModelId("m")
                    .setImageWidth(64)
                    .setImageHeight(64)
                    .setGlobal(FloatLists.toList(s.global()))
                    .setLocal(s.local() == null ? null : FloatLists.toList(s.local()))
                    .setBoxes(s.boxes().stream()
                            .map(b -> new CamBox(b.classIndex(), b.classifierScore(), b.x0(), b.y0(), b.x1(), b.y1()))
                            .toList())
                    .setClipInferences(s.clipInferences())
                    .setScoredAt(Instant.EPOCH)
                    .build());
        }
        return out;
    }

    static Classifier train(ClassSet classSet, List<SynthScene> scenes, boolean shuffle, long seed) throws Exception {
        Classifier classifier = Classifier.create(ClassifierConfig.builder()
                .setClassNames(classSet.classNames())
                .optBackbone(io.ccdstream.models.classifier.Backbone.bundledMiniClip())
                .optInputSize(64)
                .optSeed(seed)
                .build());
        List<RgbImage> images = new ArrayList<>();
        float[][] targets = new float[scenes.size()][];
        for (int i = 0; i < scenes.size(); i++) {
            images.add(decode(scenes.get(i)));
            float[] t = new float[classSet.size()];
            for (String label : scenes.get(i).labels()) {
                t[classSet.classNames().indexOf(label)] = 1f;
            }
            targets[i] = t;
        }
        if (shuffle) {
            List<float[]> rows = new ArrayList<>(List.of(targets));
            Collections.shuffle(rows, new Random(seed));
            targets = rows.toArray(new float[0][]);
        }
        long t0 = System.nanoTime();
        try (ClassifierTrainer trainer = classifier.newTrainer(ClassifierTrainerConfig.builder()
                .optLearningRate(3e-3f)
                .optSeed(seed)
                .build())) {
            for (int epoch = 0; epoch < Integer.getInteger("epochs", 6); epoch++) {
                trainer.trainEpoch(images, targets, 0f);
            }
        }
        System.out.printf("trained (shuffled %s) in %.1f s%n", shuffle, (System.nanoTime() - t0) / 1e9);
        return classifier;
    }
}
