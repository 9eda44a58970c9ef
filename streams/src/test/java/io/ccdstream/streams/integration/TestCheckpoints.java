package io.ccdstream.streams.integration;

import io.ccdstream.models.classifier.Classifier;
import io.ccdstream.models.classifier.ClassifierConfig;
import io.ccdstream.models.clip.ClassSet;
import io.ccdstream.schemas.Checkpoint;
import io.ccdstream.schemas.CheckpointMetrics;
import io.ccdstream.schemas.CheckpointPhase;
import io.ccdstream.schemas.ClassSetKey;
import io.ccdstream.testsupport.TestCluster;
import io.ccdstream.topics.CcdTopics;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;

/** Publishes classifier checkpoints for integration tests, as the trainer would. */
final class TestCheckpoints {

    private TestCheckpoints() {}

    /**
     * Saves a freshly initialised classifier (seeded by {@code version}) under {@code dir} and publishes
     * it as checkpoint {@code version} of the class set with that held-out signal.
     */
    static void publish(TestCluster cluster, ClassSet classSet, Path dir, long version, Double heldOutMap)
            throws Exception {
        try (Classifier classifier = Classifier.create(ClassifierConfig.builder()
                .setClassNames(classSet.classNames())
                .optInputSize(64)
                .optSeed(version)
                .build())) {
            publish(
                    cluster,
                    classSet,
                    classifier,
                    dir.resolve("checkpoint-v" + version + ".ckpt"),
                    version,
                    heldOutMap);
        }
    }

    /** Saves {@code classifier} to {@code file} and publishes it as checkpoint {@code version} of the class set. */
    static void publish(
            TestCluster cluster, ClassSet classSet, Classifier classifier, Path file, long version, Double heldOutMap)
            throws Exception {
        String sha = classifier.save(file);
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
}
