package io.ccdstream.trainer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.ccdstream.schemas.Checkpoint;
import io.ccdstream.schemas.CheckpointPhase;
import io.ccdstream.schemas.ClassSetKey;
import io.ccdstream.testsupport.TestCluster;
import io.ccdstream.topics.CcdTopics;
import io.ccdstream.topics.Checksums;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.errors.ProducerFencedException;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * At start the trainer brings its checkpoint store and the checkpoints topic into agreement, on a real
 * broker: the whole service's start, and transactional fencing (the reconciliation rules alone are
 * unit-tested in {@link CheckpointReconciliationTest}).
 */
class CheckpointReconciliationIT {

    @TempDir
    static Path clusterDir;

    private static TestCluster cluster;

    @TempDir
    Path dataDir;

    @BeforeAll
    static void startCluster() {
        cluster = TestCluster.start(clusterDir, 1);
    }

    @AfterAll
    static void stopCluster() {
        cluster.close();
    }

    @Test
    void shouldPublishAStoredButUnannouncedCheckpointAsItIsOnStart() throws Exception {
        // Given a store with v1 (announced) and v2 (stored, then a crash before its announcement)
        CheckpointStore store = CheckpointStore.open(storeDir("unannounced"), "unannounced");
        StoredCheckpoint v1 =
                CheckpointReconciliationTest.add(store, "unannounced", 1, CheckpointPhase.WARMUP, "weights one");
        StoredCheckpoint v2 =
                CheckpointReconciliationTest.add(store, "unannounced", 2, CheckpointPhase.REFINE, "weights two");
        cluster.send(
                CcdTopics.CHECKPOINTS,
                Map.of(new ClassSetKey("unannounced"), v1.event("http://trainer.test:8095/checkpoints/unannounced/1")));

        // When the trainer starts
        try (TrainerService trainer = TrainerService.start(config("unannounced"))) {
            // Then v2 is announced with the stored file's SHA-256, at a URL of the endpoint
            List<Checkpoint> published = published("unannounced", 2);
            assertThat(published).extracting(Checkpoint::getVersion).containsExactly(1L, 2L);
            Checkpoint announced = published.get(1);
            assertThat(announced.getSha256()).isEqualTo(v2.sha256()).isEqualTo(Checksums.sha256(store.file(2)));
            assertThat(announced.getLocation()).isEqualTo("http://trainer.test:8095/checkpoints/unannounced/2");
            assertThat(trainer.status().published().version()).isEqualTo(2);
        }
    }

    @Test
    void shouldReannounceTheLatestCheckpointWhenItIsServedAtANewLocation() throws Exception {
        // Given v1 announced at the URL of a previous run of the endpoint
        CheckpointStore store = CheckpointStore.open(storeDir("moved"), "moved");
        StoredCheckpoint v1 =
                CheckpointReconciliationTest.add(store, "moved", 1, CheckpointPhase.WARMUP, "weights one");
        cluster.send(
                CcdTopics.CHECKPOINTS,
                Map.of(new ClassSetKey("moved"), v1.event("http://old-host:8095/checkpoints/moved/1")));

        // When the trainer starts with another advertised URL
        Map<String, Object> settings = TrainerTestSettings.of(
                cluster,
                dataDir,
                Map.of(
                        TrainerConfig.CLASS_SET_ID,
                        "moved",
                        TrainerConfig.CLASS_NAMES,
                        List.of("cat", "dog"),
                        TrainerConfig.WARMUP_MIN_IMAGES,
                        1_000_000,
                        TrainerConfig.HTTP_ADVERTISED_URL,
                        "http://new-host:9000"));
        try (TrainerService trainer = TrainerService.start(new TrainerConfig(settings))) {
            // Then the same version and file are announced at the new location
            Checkpoint again = published("moved", 2).get(1);
            assertThat(again.getVersion()).isEqualTo(1);
            assertThat(again.getSha256()).isEqualTo(v1.sha256());
            assertThat(again.getLocation()).isEqualTo("http://new-host:9000/checkpoints/moved/1");
        }
    }

    @Test
    void shouldFenceAnOlderTrainerOfTheSameClassSet() throws Exception {
        TrainerConfig config = config("fencing");
        CheckpointStore store = CheckpointStore.open(storeDir("fencing"), "fencing");
        StoredCheckpoint v1 =
                CheckpointReconciliationTest.add(store, "fencing", 1, CheckpointPhase.WARMUP, "weights one");
        try (CheckpointPublisher zombie = new CheckpointPublisher(config, cluster.serdes());
                CheckpointPublisher successor = new CheckpointPublisher(config, cluster.serdes())) {
            successor.publish(v1.event("file:/v1"));

            assertThatThrownBy(() -> zombie.publish(v1.event("file:/zombie")))
                    .isInstanceOf(ProducerFencedException.class);
        }
        assertThat(published("fencing", 1)).extracting(Checkpoint::getLocation).containsExactly("file:/v1");
    }

    private Path storeDir(String classSetId) {
        return dataDir.resolve("checkpoints").resolve(classSetId);
    }

    private TrainerConfig config(String classSetId) {
        return new TrainerConfig(TrainerTestSettings.of(
                cluster,
                dataDir,
                Map.of(
                        TrainerConfig.CLASS_SET_ID,
                        classSetId,
                        TrainerConfig.CLASS_NAMES,
                        List.of("cat", "dog"),
                        TrainerConfig.WARMUP_MIN_IMAGES,
                        1_000_000,
                        TrainerConfig.HTTP_ADVERTISED_URL,
                        "http://trainer.test:8095")));
    }

    private static List<Checkpoint> published(String classSetId, int count) {
        return cluster
                .read(
                        CcdTopics.CHECKPOINTS,
                        records -> records.stream()
                                        .filter(r -> r.key().getClassSetId().equals(classSetId))
                                        .count()
                                >= count,
                        Duration.ofSeconds(30))
                .stream()
                .map(ConsumerRecord::value)
                .filter(c -> c.getClassSetId().equals(classSetId))
                .toList();
    }

    private static TrainerProgress progress() {
        return new TrainerProgress(() -> 0, () -> 0, () -> 0L);
    }
}
