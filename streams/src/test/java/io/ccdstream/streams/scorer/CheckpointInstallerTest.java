package io.ccdstream.streams.scorer;

import static org.assertj.core.api.Assertions.assertThat;

import io.ccdstream.models.classifier.Classifier;
import io.ccdstream.models.classifier.ClassifierConfig;
import io.ccdstream.models.clip.ClassSet;
import io.ccdstream.schemas.Checkpoint;
import io.ccdstream.schemas.CheckpointMetrics;
import io.ccdstream.schemas.CheckpointPhase;
import io.ccdstream.schemas.CheckpointStatus;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CheckpointInstallerTest {

    private static final List<String> CLASSES = List.of("tomato", "lime", "ball");
    private static final ClassSet CLASS_SET = ClassSet.of("m", CLASSES, List.of("a photo of the {class}"));

    @TempDir
    Path dir;

    private final CheckpointHolder holder = new CheckpointHolder();
    private CheckpointInstaller installer;

    @BeforeEach
    void setUp() {
        installer = new CheckpointInstaller(
                new CheckpointFetcher(dir.resolve("cache"), Duration.ofSeconds(5)), holder, List.of(CLASS_SET));
    }

    @AfterEach
    void tearDown() {
        holder.close();
    }

    private Checkpoint saved(long version, String fileName) throws Exception {
        Path file = dir.resolve(fileName);
        try (Classifier classifier = Classifier.create(ClassifierConfig.builder()
                .setClassNames(CLASSES)
                .optInputSize(32)
                .optSeed(version)
                .build())) {
            String sha = classifier.save(file);
            return event(version, file, sha, Files.size(file));
        }
    }

    private static Checkpoint event(long version, Path file, String sha, long size) {
        return Checkpoint.newBuilder()
                .setClassSetId(CLASS_SET.id())
                .setVersion(version)
                .setPhase(CheckpointPhase.WARMUP)
                .setArchitecture("small-cnn")
                .setLocation(file.toUri().toString())
                .setSha256(sha)
                .setSizeBytes(size)
                .setCreatedAt(Instant.EPOCH)
                .setMetrics(new CheckpointMetrics(50.0, 0.5, 10L, 2, null, 0, 0))
                .build();
    }

    @Test
    void shouldFetchVerifyLoadAndSwapInANewerCheckpoint() throws Exception {
        installer.consider(saved(1, "v1.ckpt"));
        assertThat(holder.current(CLASS_SET.id())).map(Checkpoint::getVersion).contains(1L);

        installer.consider(saved(2, "v2.ckpt"));
        assertThat(holder.current(CLASS_SET.id())).map(Checkpoint::getVersion).contains(2L);
        holder.withCheckpoint(CLASS_SET.id(), (event, classifier) -> {
            assertThat(classifier.config().numClasses()).isEqualTo(3);
            return null;
        });
        assertThat(installer.refusals()).isEmpty();
    }

    @Test
    void shouldRefuseACheckpointWhoseBytesDoNotMatchItsSha256AndKeepThePreviousOne() throws Exception {
        installer.consider(saved(1, "v1.ckpt"));
        Checkpoint good = saved(2, "v2.ckpt");
        Checkpoint tampered =
                event(2, Path.of(java.net.URI.create(good.getLocation())), "0".repeat(64), good.getSizeBytes());

        installer.consider(tampered);

        assertThat(holder.current(CLASS_SET.id())).map(Checkpoint::getVersion).contains(1L);
        assertThat(installer.refusals())
                .singleElement()
                .satisfies(r -> assertThat(r.reason()).contains("SHA-256"));
    }

    @Test
    void shouldRefuseACheckpointThatCannotBeFetched() {
        installer.consider(event(1, dir.resolve("missing.ckpt"), "0".repeat(64), 10));

        assertThat(holder.has(CLASS_SET.id())).isFalse();
        assertThat(installer.refusals()).hasSize(1);
    }

    @Test
    void shouldIgnoreAnOlderOrEqualVersion() throws Exception {
        installer.consider(saved(3, "v3.ckpt"));
        installer.consider(saved(2, "v2.ckpt"));
        installer.consider(saved(3, "v3b.ckpt"));

        assertThat(holder.current(CLASS_SET.id()).orElseThrow().getLocation()).endsWith("v3.ckpt");
        assertThat(installer.refusals()).isEmpty();
    }

    @Test
    void shouldIgnoreCheckpointsOfOtherClassSets() throws Exception {
        Checkpoint other = saved(1, "other.ckpt");
        other.setClassSetId("someone-else");
        installer.consider(other);

        assertThat(holder.has("someone-else")).isFalse();
        assertThat(installer.refusals()).isEmpty();
    }

    private static Checkpoint with(Checkpoint event, CheckpointStatus status) {
        // a shallow copy: Avro's deep copy would load the generated enum classes through its class
        // validator, which refuses them unless another test set them up first
        Checkpoint copy = new Checkpoint();
        for (int i = 0; i < event.getSchema().getFields().size(); i++) {
            copy.put(i, event.get(i));
        }
        copy.setStatus(status);
        copy.setStatusReason("test");
        return copy;
    }

    @Test
    void shouldServeOnlyPromotedCheckpointsUnderShadowRollout() throws Exception {
        // Given an installer that serves promoted checkpoints only
        CheckpointInstaller shadow = new CheckpointInstaller(
                new CheckpointFetcher(dir.resolve("cache2"), Duration.ofSeconds(5)), holder, List.of(CLASS_SET), true);
        Checkpoint v1 = saved(1, "v1.ckpt");
        Checkpoint v2 = saved(2, "v2.ckpt");

        // When a candidate and a rejected checkpoint are announced, then one promoted
        shadow.consider(v1);
        shadow.consider(with(v2, CheckpointStatus.REJECTED));
        assertThat(holder.has(CLASS_SET.id())).isFalse();
        shadow.consider(with(v1, CheckpointStatus.PROMOTED));

        // Then only the promoted one is in use
        assertThat(holder.current(CLASS_SET.id())).map(Checkpoint::getVersion).contains(1L);
    }

    @Test
    void shouldReturnToAnOlderVersionWhenItIsPromotedAgain() throws Exception {
        Checkpoint v1 = saved(1, "v1.ckpt");
        Checkpoint v2 = saved(2, "v2.ckpt");
        installer.consider(v1);
        installer.consider(v2);

        // When v1 is promoted again (a rollback)
        installer.consider(with(v1, CheckpointStatus.PROMOTED));

        // Then it is in use again; under immediate rollout a newer announcement is served again
        assertThat(holder.current(CLASS_SET.id())).map(Checkpoint::getVersion).contains(1L);
        installer.consider(v2);
        assertThat(holder.current(CLASS_SET.id())).map(Checkpoint::getVersion).contains(2L);
    }
}
