package io.ccdstream.trainer;

import static org.assertj.core.api.Assertions.assertThat;

import io.ccdstream.models.classifier.Classifier;
import io.ccdstream.models.classifier.ClassifierConfig;
import io.ccdstream.models.clip.ClassSet;
import io.ccdstream.schemas.Checkpoint;
import io.ccdstream.schemas.CheckpointPhase;
import io.ccdstream.streams.scorer.CheckpointFetcher;
import io.ccdstream.streams.scorer.CheckpointHolder;
import io.ccdstream.streams.scorer.CheckpointInstaller;
import io.ccdstream.topics.Checksums;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A scorer installs a checkpoint from the trainer's endpoint, with nothing but the published event. */
class CheckpointOverHttpTest {

    private static final ClassSet CLASS_SET =
            ClassSet.of("test-model", List.of("cat", "dog", "bird"), List.of("a photo of the {class}"));

    @TempDir
    Path trainerHost;

    @TempDir
    Path scorerHost;

    private CheckpointStore store;
    private StoredCheckpoint stored;

    @BeforeEach
    void storeACheckpoint() throws Exception {
        store = CheckpointStore.open(trainerHost.resolve("checkpoints"), CLASS_SET.id());
        try (Classifier classifier = Classifier.create(ClassifierConfig.builder()
                .setClassNames(CLASS_SET.classNames())
                .optInputSize(32)
                .optSeed(3)
                .build())) {
            String sha = classifier.save(store.candidateFile());
            stored = store.add(
                    store.candidateFile(),
                    new StoredCheckpoint(
                            CLASS_SET.id(),
                            1,
                            CheckpointPhase.WARMUP,
                            "small-cnn",
                            sha,
                            Files.size(store.candidateFile()),
                            System.currentTimeMillis(),
                            10.0,
                            0.5,
                            64,
                            2,
                            null,
                            0,
                            0));
        }
    }

    @Test
    void shouldLetAScorerInstallACheckpointFromTheEventAloneOverHttp() throws Exception {
        try (CheckpointServer server = CheckpointServer.start(store, CLASS_SET.id(), "127.0.0.1", 0, "");
                CheckpointHolder holder = new CheckpointHolder()) {
            // Given the event as the trainer publishes it by default: the location is a URL, no path of the store
            Checkpoint event = stored.event(server.url(1));
            assertThat(URI.create(event.getLocation()).getScheme()).isEqualTo("http");
            assertThat(event.getLocation()).doesNotContain(trainerHost.toString());

            // When a scorer with its own cache directory considers it
            CheckpointInstaller installer = new CheckpointInstaller(
                    new CheckpointFetcher(scorerHost.resolve("cache"), Duration.ofSeconds(10)),
                    holder,
                    List.of(CLASS_SET));
            installer.consider(event);

            // Then it fetched the bytes over HTTP, verified them and swapped the classifier in
            assertThat(installer.refusals()).isEmpty();
            assertThat(holder.current(CLASS_SET.id()))
                    .hasValueSatisfying(c -> assertThat(c.getVersion()).isEqualTo(1));
            Path fetched = scorerHost.resolve("cache").resolve(CLASS_SET.id() + "-v1.ckpt");
            assertThat(Checksums.sha256(fetched)).isEqualTo(stored.sha256());
        }
    }
}
