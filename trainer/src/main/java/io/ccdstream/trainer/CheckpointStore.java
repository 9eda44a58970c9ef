package io.ccdstream.trainer;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.ccdstream.topics.Checksums;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The versioned checkpoint files of one class set:
 * <pre>
 * &lt;dir&gt;/v&lt;version&gt;.ckpt    the classifier checkpoint (Classifier.save format)
 * &lt;dir&gt;/v&lt;version&gt;.json    its sidecar: SHA-256, size, phase, metrics ({@link StoredCheckpoint})
 * </pre>
 * A checkpoint file is written to a temporary name, forced to disk and renamed; its sidecar is
 * written the same way afterwards and is the commit mark: a version counts as stored only when its
 * sidecar exists and the file matches the recorded SHA-256. A file is never replaced. At open,
 * temporary files are deleted and a checkpoint file without a sidecar (a crash between the two
 * renames; never published, since publishing follows the sidecar) is deleted too, but its version
 * number still counts in {@link #highestVersionSeen()} so that it is not given to other weights.
 *
 * <p>One writer: the trainer thread. Readers (the HTTP endpoint) may run concurrently.
 */
final class CheckpointStore {

    private static final Logger LOG = LoggerFactory.getLogger(CheckpointStore.class);
    private static final Pattern NAME = Pattern.compile("v(\\d+)\\.(ckpt|json)");
    private static final ObjectMapper JSON = new ObjectMapper();

    private final Path dir;
    private final String classSetId;
    private long highestVersionSeen;

    private CheckpointStore(Path dir, String classSetId) {
        this.dir = dir;
        this.classSetId = classSetId;
    }

    /** Opens (creating if needed) the store in {@code dir} and clears what interrupted writes left. */
    static CheckpointStore open(Path dir, String classSetId) throws IOException {
        Files.createDirectories(dir);
        CheckpointStore store = new CheckpointStore(dir, classSetId);
        DurableFiles.deleteTemporaryFiles(dir);
        store.recover();
        return store;
    }

    private void recover() throws IOException {
        for (long version : versionsOnDisk()) {
            highestVersionSeen = Math.max(highestVersionSeen, version);
            if (!Files.exists(sidecar(version))) {
                LOG.warn(
                        "Deleting checkpoint file {} of class set {}: its write did not complete (no sidecar); "
                                + "it was never published and its version {} will not be reused",
                        file(version),
                        classSetId,
                        version);
                Files.deleteIfExists(file(version));
            }
        }
    }

    /** The directory of the store. */
    Path directory() {
        return dir;
    }

    /** The checkpoint file of {@code version} (whether or not it exists). */
    Path file(long version) {
        return dir.resolve("v" + version + ".ckpt");
    }

    /** Where a candidate for the next version is written before {@link #add}; a temporary name. */
    Path candidateFile() {
        return dir.resolve("candidate" + DurableFiles.TEMPORARY_SUFFIX);
    }

    /** The highest version ever written here, complete or not; 0 for none. */
    long highestVersionSeen() {
        return highestVersionSeen;
    }

    /** Every complete checkpoint, by ascending version. */
    List<StoredCheckpoint> list() throws IOException {
        List<StoredCheckpoint> stored = new ArrayList<>();
        for (long version : versionsOnDisk()) {
            get(version).ifPresent(stored::add);
        }
        return stored;
    }

    /** The complete checkpoint of {@code version}, if it is stored. */
    Optional<StoredCheckpoint> get(long version) throws IOException {
        Path sidecar = sidecar(version);
        if (!Files.exists(sidecar) || !Files.exists(file(version))) {
            return Optional.empty();
        }
        return Optional.of(JSON.readValue(sidecar.toFile(), StoredCheckpoint.class));
    }

    /** The highest complete version, if any. */
    OptionalLong latestVersion() throws IOException {
        List<StoredCheckpoint> all = list();
        return all.isEmpty()
                ? OptionalLong.empty()
                : OptionalLong.of(all.get(all.size() - 1).version());
    }

    /**
     * Makes {@code candidate} (a finished checkpoint file, e.g. {@link #candidateFile()}) the file of
     * {@code metadata.version()} and records its sidecar.
     *
     * @throws IOException if the version exists already, or the candidate does not match the SHA-256
     *     and size of {@code metadata}
     */
    StoredCheckpoint add(Path candidate, StoredCheckpoint metadata) throws IOException {
        long version = metadata.version();
        if (version <= highestVersionSeen) {
            throw new IOException("checkpoint version " + version + " of class set " + classSetId
                    + " is not above the highest version written, " + highestVersionSeen);
        }
        String sha256 = Checksums.sha256(candidate);
        if (!sha256.equals(metadata.sha256()) || Files.size(candidate) != metadata.sizeBytes()) {
            throw new IOException("candidate " + candidate + " has SHA-256 " + sha256 + " and " + Files.size(candidate)
                    + " bytes, expected " + metadata.sha256() + " and " + metadata.sizeBytes());
        }
        highestVersionSeen = version;
        DurableFiles.moveNew(candidate, file(version));
        DurableFiles.write(
                sidecar(version), JSON.writerWithDefaultPrettyPrinter().writeValueAsBytes(metadata));
        return metadata;
    }

    private Path sidecar(long version) {
        return dir.resolve("v" + version + ".json");
    }

    private List<Long> versionsOnDisk() throws IOException {
        try (var files = Files.list(dir)) {
            return files.map(f -> NAME.matcher(f.getFileName().toString()))
                    .filter(Matcher::matches)
                    .map(m -> Long.parseLong(m.group(1)))
                    .distinct()
                    .sorted()
                    .toList();
        }
    }
}
