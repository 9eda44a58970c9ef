package io.ccdstream.trainer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.ccdstream.data.synth.SynthClass;
import io.ccdstream.data.synth.SynthScene;
import io.ccdstream.data.synth.SynthScenes;
import io.ccdstream.schemas.Checkpoint;
import io.ccdstream.schemas.CheckpointPhase;
import io.ccdstream.schemas.Image;
import io.ccdstream.schemas.ImageKey;
import io.ccdstream.schemas.Label;
import io.ccdstream.testsupport.TestCluster;
import io.ccdstream.topics.CcdTopics;
import io.ccdstream.topics.Checksums;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A trainer killed uncleanly in the middle of an epoch resumes from its last checkpoint and its
 * committed offsets, and never publishes a version twice.
 */
class TrainerCrashIT {

    private static final int IMAGES = 120;
    private static final String CLASS_SET = "crash-test";
    private static final List<String> CLASSES = SynthClass.names();

    @TempDir
    Path dataDir;

    @Test
    void shouldResumeFromItsLastCheckpointAfterAKillMidEpochWithoutReusingAVersion() throws Exception {
        try (TestCluster cluster = TestCluster.start(dataDir, 2)) {
            Path trainerDir = dataDir.resolve("trainer");
            // a deployment's fixed port, kept across the restart
            Map<String, Object> settings = TrainerTestSettings.of(
                    cluster,
                    trainerDir,
                    Map.of(
                            TrainerConfig.HTTP_PORT,
                            freePort(),
                            TrainerConfig.CLASS_SET_ID,
                            CLASS_SET,
                            TrainerConfig.CLASS_NAMES,
                            String.join(",", CLASSES),
                            TrainerConfig.WARMUP_MIN_IMAGES,
                            IMAGES,
                            TrainerConfig.REFINE_MIN_REFINED_SHARE,
                            1.0,
                            TrainerConfig.INPUT_SIZE,
                            64,
                            TrainerConfig.REFINE_MAX_EPOCHS,
                            3,
                            TrainerConfig.CONTINUOUS_MIN_NEW_LABELS,
                            10_000));
            List<SynthScene> scenes = scenes(IMAGES);
            cluster.send(CcdTopics.IMAGES, images(scenes));
            cluster.send(CcdTopics.LABELS, labels(scenes, 0));

            // Given a trainer in a child JVM that published its warm-up checkpoint and is refining
            Process child = startChild(settings);
            List<String> output = new CopyOnWriteArrayList<>();
            try {
                follow(child, output);
                Checkpoint warmup = checkpoints(cluster, 1).get(0);
                assertThat(warmup.getPhase()).isEqualTo(CheckpointPhase.WARMUP);
                cluster.send(CcdTopics.LABELS, labels(scenes, 1));
                await().atMost(Duration.ofSeconds(90))
                        .until(() -> output.stream()
                                .anyMatch(l -> l.matches("STATUS TRAINING REFINE epoch 2/3 step [1-6]/8 .*")));

                // When it is killed in the middle of the epoch
                child.destroyForcibly();
                assertThat(child.waitFor(30, TimeUnit.SECONDS)).isTrue();
            } finally {
                child.destroyForcibly();
            }
            assertThat(cluster.read(CcdTopics.CHECKPOINTS, records -> false, Duration.ofSeconds(3)))
                    .as("nothing published by the killed round")
                    .hasSize(1);
            assertThat(committedOffsets(cluster, CcdTopics.LABELS.name()))
                    .as("labels read before the kill")
                    .isEqualTo(2L * IMAGES);

            // Then a restarted trainer resumes from the training set on disk and the warm-up checkpoint
            try (TrainerService restarted = TrainerService.start(new TrainerConfig(settings))) {
                assertThat(restarted.status().labelledImages()).isEqualTo(IMAGES);
                List<Checkpoint> published = checkpoints(cluster, 2);

                assertThat(published).extracting(Checkpoint::getVersion).containsExactly(1L, 2L);
                assertThat(published)
                        .extracting(Checkpoint::getPhase)
                        .containsExactly(CheckpointPhase.WARMUP, CheckpointPhase.REFINE);
                assertThat(published.get(0).getSha256())
                        .isEqualTo(checkpoints(cluster, 1).get(0).getSha256());
                for (Checkpoint checkpoint : published) {
                    Path file = trainerDir
                            .resolve("checkpoints")
                            .resolve(CLASS_SET)
                            .resolve("v" + checkpoint.getVersion() + ".ckpt");
                    assertThat(Checksums.sha256(file)).isEqualTo(checkpoint.getSha256());
                }
                try (Stream<Path> files =
                        Files.list(trainerDir.resolve("checkpoints").resolve(CLASS_SET))) {
                    assertThat(files.map(f -> f.getFileName().toString()))
                            .containsExactlyInAnyOrder("v1.ckpt", "v1.json", "v2.ckpt", "v2.json");
                }
            }
        }
    }

    private static int freePort() throws java.io.IOException {
        try (java.net.ServerSocket socket = new java.net.ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }

    private static List<SynthScene> scenes(int count) {
        SynthScenes generator = new SynthScenes(5, 64, 0.05);
        List<SynthScene> scenes = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            scenes.add(generator.generate(i));
        }
        return scenes;
    }

    private static Map<ImageKey, Image> images(List<SynthScene> scenes) {
        Map<ImageKey, Image> images = new LinkedHashMap<>();
        scenes.forEach(s -> images.put(SynthImages.key(s, CLASS_SET), SynthImages.record(s, CLASS_SET)));
        return images;
    }

    /** INITIAL labels for {@code checkpointVersion} 0, else REFINED with that checkpoint. */
    private static Map<ImageKey, Label> labels(List<SynthScene> scenes, long checkpointVersion) {
        Map<ImageKey, Label> labels = new LinkedHashMap<>();
        scenes.forEach(s -> labels.put(
                TestLabels.key(s, CLASS_SET),
                checkpointVersion == 0
                        ? TestLabels.initial(s, CLASS_SET, CLASSES)
                        : TestLabels.refined(s, CLASS_SET, CLASSES, checkpointVersion)));
        return labels;
    }

    private static List<Checkpoint> checkpoints(TestCluster cluster, int atLeast) {
        return cluster
                .read(
                        CcdTopics.CHECKPOINTS,
                        records -> records.size() >= atLeast,
                        Duration.ofSeconds(atLeast == 1 ? 90 : 120))
                .stream()
                .map(ConsumerRecord::value)
                .toList();
    }

    private long committedOffsets(TestCluster cluster, String topic) throws Exception {
        try (Admin admin =
                Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, cluster.bootstrapServers()))) {
            Map<TopicPartition, OffsetAndMetadata> offsets = admin.listConsumerGroupOffsets("ccd-trainer-" + CLASS_SET)
                    .partitionsToOffsetAndMetadata()
                    .get(30, TimeUnit.SECONDS);
            return offsets.entrySet().stream()
                    .filter(e -> e.getKey().topic().equals(topic))
                    .mapToLong(e -> e.getValue().offset())
                    .sum();
        }
    }

    private static Process startChild(Map<String, Object> settings) throws Exception {
        List<String> command = new ArrayList<>(List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx1g",
                "-cp",
                System.getProperty("java.class.path"),
                TrainerChildMain.class.getName()));
        settings.forEach((key, value) -> command.add(key + "=" + value));
        ProcessBuilder builder = new ProcessBuilder(command);
        builder.redirectErrorStream(true);
        return builder.start();
    }

    /** Copies the child's output lines into {@code lines} (and to this JVM's output) on a daemon thread. */
    private static void follow(Process child, List<String> lines) {
        Thread reader = new Thread(
                () -> {
                    try (BufferedReader in =
                            new BufferedReader(new InputStreamReader(child.getInputStream(), StandardCharsets.UTF_8))) {
                        for (String line = in.readLine(); line != null; line = in.readLine()) {
                            lines.add(line);
                            System.out.println("[child] " + line);
                        }
                    } catch (java.io.IOException e) {
                        // the child died
                    }
                },
                "child-output");
        reader.setDaemon(true);
        reader.start();
    }
}
