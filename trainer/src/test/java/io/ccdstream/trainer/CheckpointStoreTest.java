package io.ccdstream.trainer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.ccdstream.schemas.CheckpointPhase;
import io.ccdstream.topics.Checksums;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CheckpointStoreTest {

    @TempDir
    Path dir;

    @Test
    void shouldStoreACandidateUnderItsVersionWithItsSha256() throws IOException {
        CheckpointStore store = CheckpointStore.open(dir, "cs");

        StoredCheckpoint stored = store.add(candidate(store, "weights one"), metadata(store, 1, "weights one"));

        assertThat(Files.readString(store.file(1))).isEqualTo("weights one");
        assertThat(Checksums.sha256(store.file(1))).isEqualTo(stored.sha256());
        assertThat(store.get(1)).contains(stored);
        assertThat(Files.exists(store.candidateFile())).isFalse();
    }

    @Test
    void shouldRefuseToWriteAVersionTwice() throws IOException {
        CheckpointStore store = CheckpointStore.open(dir, "cs");
        store.add(candidate(store, "weights one"), metadata(store, 1, "weights one"));

        assertThatThrownBy(() -> store.add(candidate(store, "other weights"), metadata(store, 1, "other weights")))
                .isInstanceOf(IOException.class)
                .hasMessageContaining("not above");
        assertThat(Files.readString(store.file(1))).isEqualTo("weights one");
    }

    @Test
    void shouldRefuseACandidateThatDoesNotMatchItsMetadata() throws IOException {
        CheckpointStore store = CheckpointStore.open(dir, "cs");
        StoredCheckpoint claimed = metadata(store, 1, "weights one");
        Path candidate = candidate(store, "weights two");

        assertThatThrownBy(() -> store.add(candidate, claimed)).hasMessageContaining("SHA-256");
        assertThat(store.get(1)).isEmpty();
    }

    @Test
    void shouldDeleteAHalfWrittenCheckpointOnOpenButNeverReuseItsVersion() throws IOException {
        CheckpointStore first = CheckpointStore.open(dir, "cs");
        first.add(candidate(first, "weights one"), metadata(first, 1, "weights one"));
        // a crash after renaming v2's file but before writing its sidecar, and one mid-write
        Files.writeString(first.file(2), "weights two");
        Files.writeString(dir.resolve("candidate.tmp"), "partial");

        CheckpointStore reopened = CheckpointStore.open(dir, "cs");

        assertThat(reopened.list()).extracting(StoredCheckpoint::version).containsExactly(1L);
        assertThat(Files.exists(reopened.file(2))).isFalse();
        assertThat(Files.exists(dir.resolve("candidate.tmp"))).isFalse();
        assertThat(reopened.highestVersionSeen()).isEqualTo(2);
        assertThatThrownBy(() -> reopened.add(candidate(reopened, "other"), metadata(reopened, 2, "other")))
                .isInstanceOf(IOException.class);
    }

    private static Path candidate(CheckpointStore store, String content) throws IOException {
        return Files.writeString(store.candidateFile(), content);
    }

    private static StoredCheckpoint metadata(CheckpointStore store, long version, String content) throws IOException {
        Path scratch = Files.createTempFile("sha", ".bin");
        Files.writeString(scratch, content);
        String sha = Checksums.sha256(scratch);
        Files.delete(scratch);
        return new StoredCheckpoint(
                "cs",
                version,
                CheckpointPhase.WARMUP,
                "small-cnn",
                sha,
                content.length(),
                1_700_000_000_000L,
                12.5,
                0.4,
                100,
                2,
                41.5,
                64,
                12);
    }
}
