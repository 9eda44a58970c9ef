package io.ccdstream.data.files;

import java.nio.file.Path;
import java.time.Instant;

/**
 * An image file found under one of the roots given to {@link ImageFileScanner}.
 *
 * @param root     the root it was found under (absolute, normalised)
 * @param path     the file (absolute, normalised)
 * @param relative its path relative to the root, with {@code /} as separator: the default image id
 * @param size     its size in bytes when scanned
 * @param modified its modification time when scanned
 */
public record ImageFile(Path root, Path path, String relative, long size, Instant modified) {

    /** What identifies this version of the file in the ingest ledger: path, size and modification time. */
    public String fingerprint() {
        return path + "|" + size + "|" + modified.toEpochMilli();
    }
}
