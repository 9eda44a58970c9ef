package io.ccdstream.streams.integration;

import static org.assertj.core.api.Assertions.assertThat;

import io.ccdstream.data.ImageRecords;
import io.ccdstream.data.synth.SynthClass;
import io.ccdstream.data.synth.SynthScene;
import io.ccdstream.data.synth.SynthScenes;
import io.ccdstream.models.BundledModels;
import io.ccdstream.models.clip.ClassSet;
import io.ccdstream.models.clip.ClipModelDescriptor;
import io.ccdstream.schemas.Image;
import io.ccdstream.schemas.ImageKey;
import io.ccdstream.streams.pipeline.Pipeline;
import io.ccdstream.streams.pipeline.PipelineSettings;
import io.ccdstream.testsupport.TestCluster;
import io.ccdstream.topics.CcdTopics;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Exactly-once scoring on the in-process broker: with two scorer instances sharing the
 * partitions, and across an unclean kill of the scorer mid-batch, every image appears exactly once
 * in the read_committed scores topic.
 */
class ExactlyOnceIT {

    @TempDir
    Path dataDir;

    private TestCluster cluster;
    private Path modelDir;
    private ClassSet classSet;
    private final SynthScenes scenes = new SynthScenes(33, 64, 0.05);

    @BeforeEach
    void start() throws Exception {
        cluster = TestCluster.start(dataDir, 4);
        modelDir = BundledModels.extract(BundledModels.DEFAULT, dataDir.resolve("models"));
        ClipModelDescriptor descriptor = ClipModelDescriptor.read(modelDir);
        classSet = ClassSet.of(descriptor.modelId(), SynthClass.names(), List.of(descriptor.promptTemplate()));
    }

    @AfterEach
    void stop() {
        cluster.close();
    }

    private void send(int from, int to) {
        try (KafkaProducer<ImageKey, Image> producer = cluster.producer(
                CcdTopics.IMAGES.keySerde(cluster.serdes()).serializer(),
                CcdTopics.IMAGES.valueSerde(cluster.serdes()).serializer())) {
            for (int i = from; i < to; i++) {
                SynthScene scene = scenes.generate(i);
                producer.send(new ProducerRecord<>(
                        CcdTopics.IMAGES.name(),
                        new ImageKey(classSet.id(), scene.id()),
                        ImageRecords.synth(scene, classSet.id())));
            }
        }
    }

    /** How many times each image id appears in the committed scores, after waiting for {@code expected} ids. */
    private Map<String, Integer> committedScores(int expected, Duration timeout) {
        return CommittedScores.read(cluster, expected, timeout).counts();
    }

    private static List<String> notExactlyOnce(Map<String, Integer> counts) {
        return CommittedScores.notExactlyOnce(counts);
    }

    @Test
    void shouldScoreEveryImageExactlyOnceWithTwoInstancesSharingThePartitions() throws Exception {
        PipelineSettings settings = PipelineSettings.defaults(modelDir, classSet);
        try (Pipeline first = Pipeline.start(
                StreamsTestConfig.of(cluster, "instance-1"), settings, List.of(Pipeline.Service.scorer))) {
            send(0, 150);
            // a second instance joins while the first is working: the partitions are shared out
            try (Pipeline second = Pipeline.start(
                    StreamsTestConfig.of(cluster, "instance-2"), settings, List.of(Pipeline.Service.scorer))) {
                send(150, 300);
                Map<String, Integer> counts = committedScores(300, Duration.ofMinutes(2));

                assertThat(counts).hasSize(300);
                assertThat(notExactlyOnce(counts)).isEmpty();
                assertThat(second.streams(Pipeline.Service.scorer).orElseThrow().metadataForLocalThreads())
                        .allSatisfy(thread -> assertThat(thread.activeTasks()).isNotEmpty());
                assertThat(first.isAlive() && second.isAlive()).isTrue();
            }
        }
    }

    @Test
    void shouldLoseNoImageAndDuplicateNoneAcrossAnUncleanKillMidBatch() throws Exception {
        Path stateDir = dataDir.resolve("streams").resolve("killed");
        send(0, 400);
        Process child = startChild(stateDir);
        try {
            // wait until the child has committed some of the work, then kill it without warning; on
            // a fast machine it may be further along by then, which the assertions below still cover
            Map<String, Integer> before = committedScores(40, Duration.ofMinutes(2));
            assertThat(before.size()).as("committed before the kill").isGreaterThanOrEqualTo(40);
            System.out.printf("killing the scorer with %d of 400 images committed%n", before.size());
        } finally {
            child.destroyForcibly();
            assertThat(child.waitFor(30, TimeUnit.SECONDS)).isTrue();
        }

        // restart on the same state directory, in this JVM
        try (Pipeline restarted = restartInProcess(stateDir)) {
            Map<String, Integer> counts = committedScores(400, Duration.ofMinutes(3));

            assertThat(counts).hasSize(400);
            assertThat(notExactlyOnce(counts)).isEmpty();
        }
    }

    @Test
    void shouldRescoreEveryImageExactlyOnceAcrossAnUncleanKillWhileRescoring() throws Exception {
        // Given 300 images scored by a scorer in its own JVM with checkpoint v1
        Path stateDir = dataDir.resolve("streams").resolve("killed-rescoring");
        TestCheckpoints.publish(cluster, classSet, dataDir, 1, 30.0);
        send(0, 300);
        Process child = startChild(stateDir);
        try {
            assertThat(latestVersions(300, 1L, Duration.ofMinutes(2)).values()).containsOnly(1L);

            // When v2 is published 10 points better and the scorer is killed while it re-scores
            TestCheckpoints.publish(cluster, classSet, dataDir, 2, 40.0);
            Map<String, Integer> before = committedRescores(30, Duration.ofMinutes(2));
            assertThat(before.size()).as("re-scores committed before the kill").isGreaterThanOrEqualTo(30);
            System.out.printf("killing the scorer with %d of 300 re-scores committed%n", before.size());
        } finally {
            child.destroyForcibly();
            assertThat(child.waitFor(30, TimeUnit.SECONDS)).isTrue();
        }

        // Then after a restart on the same state every image is re-scored with v2 exactly once
        try (Pipeline restarted = restartInProcess(stateDir)) {
            Map<String, Integer> counts = committedRescores(300, Duration.ofMinutes(3));

            assertThat(counts).hasSize(300);
            assertThat(notExactlyOnce(counts)).isEmpty();
        }
    }

    /** The checkpoint version of each image's latest committed scores, once {@code expected} images carry {@code version}. */
    private Map<String, Long> latestVersions(int expected, long version, Duration timeout) {
        Map<String, Long> latest = new HashMap<>();
        cluster.read(
                CcdTopics.SCORES.name(),
                CcdTopics.SCORES.keySerde(cluster.serdes()).deserializer(),
                CcdTopics.SCORES.valueSerde(cluster.serdes()).deserializer(),
                r -> latest.put(r.key().getImageId(), r.value().getCheckpointVersion()),
                () -> latest.size() >= expected
                        && latest.values().stream()
                                .allMatch(v -> Long.valueOf(version).equals(v)),
                timeout);
        return latest;
    }

    /** How many committed re-scores with a better checkpoint each image has, after waiting for {@code expected} images. */
    private Map<String, Integer> committedRescores(int expected, Duration timeout) {
        Map<String, Integer> counts = new HashMap<>();
        cluster.read(
                CcdTopics.SCORES.name(),
                CcdTopics.SCORES.keySerde(cluster.serdes()).deserializer(),
                CcdTopics.SCORES.valueSerde(cluster.serdes()).deserializer(),
                r -> {
                    if (r.value().getRescoredFrom() != null) {
                        counts.merge(r.key().getImageId(), 1, Integer::sum);
                    }
                },
                () -> counts.size() >= expected,
                timeout);
        return counts;
    }

    /** A scorer in this JVM on the state directory a killed child used. */
    private Pipeline restartInProcess(Path stateDir) throws Exception {
        return Pipeline.start(
                new io.ccdstream.streams.CcdStreamsConfig(Map.of(
                        io.ccdstream.streams.CcdStreamsConfig.BOOTSTRAP_SERVERS, cluster.bootstrapServers(),
                        io.ccdstream.streams.CcdStreamsConfig.SCHEMA_REGISTRY_URL, cluster.registryUrl(),
                        io.ccdstream.streams.CcdStreamsConfig.STATE_DIR, stateDir.toString())),
                PipelineSettings.defaults(modelDir, classSet),
                List.of(Pipeline.Service.scorer));
    }

    private Process startChild(Path stateDir) throws Exception {
        return ChildJvm.start(
                ScorerChildMain.class,
                cluster.bootstrapServers(),
                cluster.registryUrl(),
                stateDir.toString(),
                modelDir.toString());
    }
}
