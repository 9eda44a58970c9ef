package io.ccdstream.streams.integration;

import static org.assertj.core.api.Assertions.assertThat;

import io.ccdstream.data.ImageRecords;
import io.ccdstream.data.synth.SynthClass;
import io.ccdstream.data.synth.SynthScene;
import io.ccdstream.data.synth.SynthScenes;
import io.ccdstream.models.BundledModels;
import io.ccdstream.models.classifier.Classifier;
import io.ccdstream.models.classifier.ClassifierConfig;
import io.ccdstream.models.clip.ClassSet;
import io.ccdstream.models.clip.ClipModel;
import io.ccdstream.schemas.Checkpoint;
import io.ccdstream.schemas.CheckpointMetrics;
import io.ccdstream.schemas.CheckpointPhase;
import io.ccdstream.schemas.ClassSetKey;
import io.ccdstream.schemas.Image;
import io.ccdstream.schemas.ImageKey;
import io.ccdstream.schemas.Label;
import io.ccdstream.schemas.Scores;
import io.ccdstream.streams.bias.BiasSettings;
import io.ccdstream.streams.labeler.LabelerSettings;
import io.ccdstream.streams.pipeline.Pipeline;
import io.ccdstream.streams.pipeline.PipelineSettings;
import io.ccdstream.testsupport.TestCluster;
import io.ccdstream.topics.CcdTopics;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;
import java.util.stream.Collectors;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Re-scoring on the in-process broker: images labelled with checkpoint v1 move to v2 once v2 is
 * published with a clearly better held-out signal, each exactly once (read_committed), and a later
 * checkpoint that gains too little re-scores nothing.
 */
class RescoreIT {

    private static final int IMAGES = 96;

    @TempDir
    Path dataDir;

    @Test
    void shouldMoveEveryLabelToAClearlyBetterCheckpointExactlyOnce() throws Exception {
        try (TestCluster cluster = TestCluster.start(dataDir, 2);
                ClipModel clip =
                        ClipModel.load(BundledModels.extract(BundledModels.DEFAULT, dataDir.resolve("models")))) {
            ClassSet classSet = clip.classSet(SynthClass.names());
            PipelineSettings settings = PipelineSettings.defaults(
                            dataDir.resolve("models").resolve(BundledModels.DEFAULT), classSet)
                    .withBias(new BiasSettings(100, 5, 20, BiasSettings.DEFAULTS.entropyThreshold()))
                    .withLabeler(new LabelerSettings(Duration.ofSeconds(1), 0.05f));
            try (Pipeline pipeline = Pipeline.start(
                    StreamsTestConfig.of(cluster, "rescore"), settings, List.of(Pipeline.Service.values()))) {
                // Given every image labelled with checkpoint v1 (held-out signal 30)
                publish(cluster, classSet, 1, 30.0);
                sendImages(cluster, classSet);
                latestLabels(cluster, l -> Long.valueOf(1).equals(l.getCheckpointVersion()));

                // When v2 is published 10 points better
                publish(cluster, classSet, 2, 40.0);

                // Then every label moves to v2, through exactly one re-score per image
                Map<String, Label> labels =
                        latestLabels(cluster, l -> Long.valueOf(2).equals(l.getCheckpointVersion()));
                assertThat(labels).hasSize(IMAGES);
                Map<String, Long> rescoresWithV2 = rescores(cluster, 2L, IMAGES);
                assertThat(rescoresWithV2)
                        .hasSize(IMAGES)
                        .allSatisfy(
                                (image, count) -> assertThat(count).as(image).isEqualTo(1L));

                // and v3, half a point better than v2, re-scores nothing
                publish(cluster, classSet, 3, 40.5);
                Thread.sleep(5_000);
                assertThat(rescores(cluster, 3L, 0)).isEmpty();
                assertThat(rescores(cluster, 2L, IMAGES)).hasSize(IMAGES).containsOnlyKeys(rescoresWithV2.keySet());
            }
        }
    }

    private void sendImages(TestCluster cluster, ClassSet classSet) {
        SynthScenes scenes = new SynthScenes(33, 64, 0.05);
        try (KafkaProducer<ImageKey, Image> producer = cluster.producer(
                CcdTopics.IMAGES.keySerde(cluster.serdes()).serializer(),
                CcdTopics.IMAGES.valueSerde(cluster.serdes()).serializer())) {
            for (int i = 0; i < IMAGES; i++) {
                SynthScene scene = scenes.generate(i);
                producer.send(new ProducerRecord<>(
                        CcdTopics.IMAGES.name(),
                        new ImageKey(classSet.id(), scene.id()),
                        ImageRecords.synth(scene, classSet.id())));
            }
        }
    }

    /** Publishes a freshly initialised classifier as checkpoint {@code version} with that held-out signal. */
    private void publish(TestCluster cluster, ClassSet classSet, long version, double heldOutMap) throws Exception {
        Path file = dataDir.resolve("checkpoint-v" + version + ".ckpt");
        String sha;
        try (Classifier classifier = Classifier.create(ClassifierConfig.builder()
                .setClassNames(classSet.classNames())
                .optInputSize(64)
                .optSeed(version)
                .build())) {
            sha = classifier.save(file);
        }
        try (KafkaProducer<ClassSetKey, Checkpoint> producer = cluster.producer(
                CcdTopics.CHECKPOINTS.keySerde(cluster.serdes()).serializer(),
                CcdTopics.CHECKPOINTS.valueSerde(cluster.serdes()).serializer())) {
            producer.send(new ProducerRecord<>(
                    CcdTopics.CHECKPOINTS.name(),
                    new ClassSetKey(classSet.id()),
                    Checkpoint.newBuilder()
                            .setClassSetId(classSet.id())
                            .setVersion(version)
                            .setPhase(version == 1 ? CheckpointPhase.WARMUP : CheckpointPhase.CONTINUOUS)
                            .setArchitecture("small-cnn")
                            .setLocation(file.toUri().toString())
                            .setSha256(sha)
                            .setSizeBytes(Files.size(file))
                            .setCreatedAt(Instant.now())
                            .setMetrics(new CheckpointMetrics(0.0, 0.0, 0L, 0, heldOutMap, 64, 10))
                            .build()));
        }
    }

    private static Map<String, Label> latestLabels(TestCluster cluster, Predicate<Label> wanted) {
        Map<String, Label> latest = new HashMap<>();
        cluster.read(
                CcdTopics.LABELS.name(),
                CcdTopics.LABELS.keySerde(cluster.serdes()).deserializer(),
                CcdTopics.LABELS.valueSerde(cluster.serdes()).deserializer(),
                r -> latest.put(r.key().getImageId(), r.value()),
                () -> latest.size() == IMAGES && latest.values().stream().allMatch(wanted),
                Duration.ofMinutes(3));
        assertThat(latest.values()).hasSize(IMAGES).allMatch(wanted);
        return latest;
    }

    /** Re-scores with a better checkpoint, made with {@code version}, per image (read_committed). */
    private static Map<String, Long> rescores(TestCluster cluster, long version, int atLeastImages) {
        Predicate<ConsumerRecord<ImageKey, Scores>> isRescore = r -> r.value().getRescoredFrom() != null
                && Long.valueOf(version).equals(r.value().getCheckpointVersion());
        List<ConsumerRecord<ImageKey, Scores>> records = cluster.read(
                CcdTopics.SCORES,
                all -> atLeastImages > 0
                        && all.stream()
                                        .filter(isRescore)
                                        .map(r -> r.key().getImageId())
                                        .distinct()
                                        .count()
                                >= atLeastImages,
                Duration.ofSeconds(atLeastImages > 0 ? 60 : 5));
        return records.stream()
                .filter(isRescore)
                .collect(Collectors.groupingBy(r -> r.key().getImageId(), Collectors.counting()));
    }
}
