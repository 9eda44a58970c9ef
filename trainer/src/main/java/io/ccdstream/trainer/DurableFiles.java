package io.ccdstream.trainer;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;

/**
 * Writes that survive a crash whole or not at all: the data goes to a temporary file in the target's
 * directory, is forced to disk, and is renamed over the target; then the directory entry is forced.
 * A reader (or a restarted process) sees the old file or the new one, never a half-written one.
 */
final class DurableFiles {

    /** Suffix of temporary files; a directory's leftovers are deleted by {@link #deleteTemporaryFiles}. */
    static final String TEMPORARY_SUFFIX = ".tmp";

    private DurableFiles() {}

    /** Replaces {@code target} with {@code data} atomically and durably. */
    static void write(Path target, byte[] data) throws IOException {
        Path tmp = target.resolveSibling(target.getFileName() + TEMPORARY_SUFFIX);
        try (FileChannel channel = FileChannel.open(
                tmp, StandardOpenOption.CREATE, StandardOpenOption.WRITE, StandardOpenOption.TRUNCATE_EXISTING)) {
            channel.write(java.nio.ByteBuffer.wrap(data));
            channel.force(true);
        }
        Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        forceDirectory(target.toAbsolutePath().getParent());
    }

    /**
     * Moves a finished file to {@code target} durably; refuses to replace an existing file.
     *
     * @throws FileAlreadyExistsException if {@code target} exists
     */
    static void moveNew(Path source, Path target) throws IOException {
        if (Files.exists(target)) {
            throw new FileAlreadyExistsException(target.toString(), null, "refusing to overwrite");
        }
        try (FileChannel channel = FileChannel.open(source, StandardOpenOption.WRITE)) {
            channel.force(true);
        }
        Files.move(source, target, StandardCopyOption.ATOMIC_MOVE);
        forceDirectory(target.toAbsolutePath().getParent());
    }

    /** Deletes the leftovers of interrupted writes in {@code dir}. */
    static void deleteTemporaryFiles(Path dir) throws IOException {
        try (var files = Files.list(dir)) {
            for (Path file : files.filter(f -> f.getFileName().toString().endsWith(TEMPORARY_SUFFIX))
                    .toList()) {
                Files.deleteIfExists(file);
            }
        }
    }

    /** Forces a directory's entries (renames, creations) to disk; a no-op where directories cannot be opened. */
    static void forceDirectory(Path dir) throws IOException {
        try (FileChannel channel = FileChannel.open(dir, StandardOpenOption.READ)) {
            channel.force(true);
        } catch (UnsupportedOperationException | java.nio.file.AccessDeniedException e) {
            // some platforms cannot open a directory as a channel; the rename is still atomic there
        }
    }
}
