package io.ccdstream.streams.integration;

import static org.assertj.core.api.Assertions.assertThat;

import io.ccdstream.data.ImageRecords;
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
import io.ccdstream.schemas.Checkpoint;
import io.ccdstream.schemas.ClassSetKey;
import io.ccdstream.schemas.Image;
import io.ccdstream.schemas.ImageKey;
import io.ccdstream.schemas.Label;
import io.ccdstream.schemas.ShadowResult;
import io.ccdstream.schemas.ShadowVerdict;
import io.ccdstream.streams.alerts.DriftSettings;
import io.ccdstream.streams.pipeline.Pipeline;
import io.ccdstream.streams.pipeline.PipelineSettings;
import io.ccdstream.streams.shadow.PromotionRule;
import io.ccdstream.streams.shadow.RolloutMode;
import io.ccdstream.streams.shadow.ShadowSettings;
import io.ccdstream.streams.shadow.ShadowTopology;
import io.ccdstream.testsupport.TestCluster;
import io.ccdstream.topics.CcdTopics;
import io.ccdstream.topics.rollout.CheckpointLog;
import io.ccdstream.topics.rollout.Relabel;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Safe rollout on the in-process broker, under rollout mode shadow: a classifier trained on the
 * images' classes is promoted by the shadow service and labels the stream; one trained on the same
 * images with their labels shuffled is rejected and labels nothing; a rollback by hand makes later
 * labels carry the earlier version again.
 */
class RolloutIT {

    private static final int BATCH = 40;

    @TempDir
    Path dataDir;

    @Test
    void shouldPromoteAGoodCheckpointRejectABadOneAndRollBack() throws Exception {
        try (TestCluster cluster = TestCluster.start(dataDir, 2);
                ClipModel clip =
                        ClipModel.load(BundledModels.extract(BundledModels.DEFAULT, dataDir.resolve("models")))) {
            ClassSet classSet = clip.classSet(SynthClass.names());
            PipelineSettings settings =
                    PipelineSettings.defaults(dataDir.resolve("models").resolve(BundledModels.DEFAULT), classSet);
            ShadowSettings shadow =
                    new ShadowSettings(RolloutMode.shadow, 1.0, 32, 24, Duration.ofMillis(500), PromotionRule.DEFAULTS);
            SynthScenes scenes = new SynthScenes(33, 64, 0.0);
            List<SynthScene> training = new ArrayList<>();
            for (int i = 0; i < 200; i++) {
                training.add(scenes.generate(10_000 + i));
            }
            CheckpointLog log =
                    new CheckpointLog(cluster.bootstrapServers(), cluster.serdes(), Map.of(), Clock.systemUTC());
            try (Pipeline pipeline = Pipeline.start(
                    StreamsTestConfig.of(cluster, "rollout"),
                    settings,
                    List.of(
                            Pipeline.Service.scorer,
                            Pipeline.Service.bias,
                            Pipeline.Service.labeler,
                            Pipeline.Service.shadow),
                    shadow,
                    DriftSettings.DEFAULTS)) {
                // Given images labelled from the global view, and a good checkpoint published
                send(cluster, classSet, scenes, 0);
                Classifier good = train(classSet, training, false, 1, 10);
                TestCheckpoints.publish(cluster, classSet, good, dataDir.resolve("v1.ckpt"), 1, null);
                // Then the shadow service promotes it and the stream is labelled with it
                assertThat(verdict(cluster, 1).getVerdict()).isEqualTo(ShadowVerdict.PROMOTE);
                send(cluster, classSet, scenes, BATCH);
                assertThat(labelsOf(cluster, BATCH, 2 * BATCH, 1L)).isTrue();

                // When a checkpoint trained on shuffled labels is published
                try (Classifier bad = train(classSet, training, true, 2, 4)) {
                    TestCheckpoints.publish(cluster, classSet, bad, dataDir.resolve("v2.ckpt"), 2, null);
                }
                ShadowResult bad = verdict(cluster, 2);
                // Then it is rejected in shadow and no label is made with it
                assertThat(bad.getVerdict()).as(bad.toString()).isEqualTo(ShadowVerdict.REJECT);
                assertThat(pipeline.metrics()
                                .get(ShadowTopology.VERDICTS_METRIC)
                                .tag("verdict", "rejected")
                                .counter()
                                .count())
                        .isEqualTo(1.0);
                send(cluster, classSet, scenes, 2 * BATCH);
                assertThat(labelsOf(cluster, 2 * BATCH, 3 * BATCH, 1L)).isTrue();

                // When a second good checkpoint is published, it is promoted and used
                // (v1 trained two epochs more)
                more(classSet, good, training, 2);
                TestCheckpoints.publish(cluster, classSet, good, dataDir.resolve("v3.ckpt"), 3, null);
                good.close();
                assertThat(verdict(cluster, 3).getVerdict()).isEqualTo(ShadowVerdict.PROMOTE);
                send(cluster, classSet, scenes, 3 * BATCH);
                assertThat(labelsOf(cluster, 3 * BATCH, 4 * BATCH, 3L)).isTrue();

                // When it is rolled back by hand, later labels carry the earlier version
                Checkpoint restored = log.rollback(classSet.id(), Optional.empty(), Duration.ofSeconds(30));
                assertThat(restored.getVersion()).isEqualTo(1L);
                long rolledBack = System.nanoTime();
                while (pipeline.checkpoints()
                                        .current(classSet.id())
                                        .map(Checkpoint::getVersion)
                                        .orElse(0L)
                                != 1L
                        && System.nanoTime() - rolledBack < 30_000_000_000L) {
                    Thread.sleep(10);
                }
                System.out.printf(
                        "scorer back on v1 %d ms after the rollback%n", (System.nanoTime() - rolledBack) / 1_000_000);
                assertThat(pipeline.checkpoints().current(classSet.id()))
                        .map(Checkpoint::getVersion)
                        .contains(1L);
                send(cluster, classSet, scenes, 4 * BATCH);
                assertThat(labelsOf(cluster, 4 * BATCH, 5 * BATCH, 1L)).isTrue();

                // When the images labelled with the rolled-back version are relabelled
                Relabel.Result relabel = new Relabel(cluster.bootstrapServers(), cluster.serdes(), Map.of())
                        .above(classSet.id(), 1, Duration.ofSeconds(60));
                // Then exactly those are sent again and end with labels made with v1
                assertThat(relabel.matching()).isEqualTo(BATCH);
                assertThat(relabel.resent()).isEqualTo(BATCH);
                assertThat(labelsOf(cluster, 3 * BATCH, 4 * BATCH, 1L)).isTrue();

                List<Label> all =
                        new ArrayList<>(latestLabels(cluster, 5 * BATCH).values());
                assertThat(all).noneMatch(l -> Long.valueOf(2L).equals(l.getCheckpointVersion()));
                List<CheckpointLog.Entry> history =
                        CheckpointLog.history(log.read(Duration.ofSeconds(30)), classSet.id());
                assertThat(history)
                        .extracting(e -> e.checkpoint().getVersion() + ":" + e.state() + (e.serving() ? "*" : ""))
                        .containsExactly("1:PROMOTED*", "2:REJECTED", "3:REJECTED");
            }
        }
    }

    private static void more(ClassSet classSet, Classifier classifier, List<SynthScene> scenes, int epochs)
            throws Exception {
        Training set = trainingSet(classSet, scenes, false, 0);
        try (ClassifierTrainer trainer = classifier.newTrainer(ClassifierTrainerConfig.builder()
                .optLearningRate(3e-3f)
                .optSeed(3)
                .build())) {
            for (int epoch = 0; epoch < epochs; epoch++) {
                trainer.trainEpoch(set.images(), set.targets(), 0f);
            }
        }
    }

    private record Training(List<RgbImage> images, float[][] targets) {}

    private static Training trainingSet(ClassSet classSet, List<SynthScene> scenes, boolean shuffle, long seed)
            throws Exception {
        List<RgbImage> images = new ArrayList<>();
        float[][] targets = new float[scenes.size()][];
        for (int i = 0; i < scenes.size(); i++) {
            images.add(
                    ImageDecoder.builder().build().decode(scenes.get(i).png()).image());
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
        return new Training(images, targets);
    }

    private static Classifier train(ClassSet classSet, List<SynthScene> scenes, boolean shuffle, long seed, int epochs)
            throws Exception {
        Classifier classifier = Classifier.create(ClassifierConfig.builder()
                .setClassNames(classSet.classNames())
                .optInputSize(64)
                .optSeed(seed)
                .build());
        Training set = trainingSet(classSet, scenes, shuffle, seed);
        try (ClassifierTrainer trainer = classifier.newTrainer(ClassifierTrainerConfig.builder()
                .optLearningRate(3e-3f)
                .optSeed(seed)
                .build())) {
            for (int epoch = 0; epoch < epochs; epoch++) {
                trainer.trainEpoch(set.images(), set.targets(), 0f);
            }
        }
        return classifier;
    }

    private static void send(TestCluster cluster, ClassSet classSet, SynthScenes scenes, int from) {
        try (KafkaProducer<ImageKey, Image> producer = cluster.producer(
                CcdTopics.IMAGES.keySerde(cluster.serdes()).serializer(),
                CcdTopics.IMAGES.valueSerde(cluster.serdes()).serializer())) {
            for (int i = from; i < from + BATCH; i++) {
                SynthScene scene = scenes.generate(i);
                producer.send(new ProducerRecord<>(
                        CcdTopics.IMAGES.name(),
                        new ImageKey(classSet.id(), scene.id()),
                        ImageRecords.synth(scene, classSet.id())));
            }
        }
    }

    private static ShadowResult verdict(TestCluster cluster, long version) {
        List<ConsumerRecord<ClassSetKey, ShadowResult>> results = cluster.read(
                CcdTopics.SHADOW,
                records -> records.stream().anyMatch(r -> r.value().getCandidateVersion() == version),
                Duration.ofSeconds(90));
        ShadowResult result = results.stream()
                .map(ConsumerRecord::value)
                .filter(r -> r.getCandidateVersion() == version)
                .findFirst()
                .orElseThrow(() -> new AssertionError("no shadow verdict for v" + version));
        System.out.println("shadow v" + version + ": " + result);
        return result;
    }

    /** Whether the labels of images [from, to) all carry {@code version}, waiting for them. */
    private static boolean labelsOf(TestCluster cluster, int from, int to, Long version) {
        Map<String, Label> latest = new HashMap<>();
        cluster.read(
                CcdTopics.LABELS.name(),
                CcdTopics.LABELS.keySerde(cluster.serdes()).deserializer(),
                CcdTopics.LABELS.valueSerde(cluster.serdes()).deserializer(),
                r -> latest.put(r.key().getImageId(), r.value()),
                () -> latest.size() >= to
                        && latest.values().stream()
                                        .filter(l -> index(l) >= from && index(l) < to)
                                        .filter(l -> version.equals(l.getCheckpointVersion()))
                                        .count()
                                == to - from,
                Duration.ofSeconds(60));
        long matching = latest.values().stream()
                .filter(l -> index(l) >= from && index(l) < to)
                .filter(l -> version.equals(l.getCheckpointVersion()))
                .count();
        assertThat(matching)
                .as("labels of images %d..%d made with v%d", from, to, version)
                .isEqualTo(to - from);
        return true;
    }

    private static Map<String, Label> latestLabels(TestCluster cluster, int count) {
        Map<String, Label> latest = new HashMap<>();
        cluster.read(
                CcdTopics.LABELS.name(),
                CcdTopics.LABELS.keySerde(cluster.serdes()).deserializer(),
                CcdTopics.LABELS.valueSerde(cluster.serdes()).deserializer(),
                r -> latest.put(r.key().getImageId(), r.value()),
                () -> latest.size() >= count,
                Duration.ofSeconds(30));
        return latest;
    }

    private static int index(Label label) {
        String id = label.getImageId();
        return Integer.parseInt(id.substring(id.lastIndexOf('-') + 1));
    }
}
