package io.ccdstream.embedded;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * An exclusive operating-system lock on a data directory, held while a broker uses it.
 *
 * <p>Kafka locks a combined node's directory only once the broker half starts, after the controller has already
 * opened the metadata log; this lock is taken before formatting or starting anything. The operating system drops it
 * when the holding process dies, so a directory left by a killed broker is never blocked; the file itself stays.
 */
final class DataDirLock implements AutoCloseable {

    static final String FILE_NAME = ".ccd-embedded.lock";

    private final FileChannel channel;
    private final FileLock lock;

    private DataDirLock(FileChannel channel, FileLock lock) {
        this.channel = channel;
        this.lock = lock;
    }

    /**
     * Creates the directory if needed and locks it.
     *
     * @param dataDir the directory
     * @return the held lock
     * @throws EmbeddedKafkaException if another broker, in this or another process, holds the lock
     */
    static DataDirLock acquire(Path dataDir) {
        FileChannel channel = open(dataDir);
        try {
            FileLock lock = channel.tryLock();
            if (lock != null) {
                return new DataDirLock(channel, lock);
            }
        } catch (OverlappingFileLockException | IOException e) {
            // same outcome as a lock held by another process
        }
        closeQuietly(channel);
        throw new EmbeddedKafkaException("The Kafka data directory " + dataDir + " is in use by another embedded"
                + " broker (in this or another process); stop it or choose another directory");
    }

    private static FileChannel open(Path dataDir) {
        try {
            Files.createDirectories(dataDir);
            return FileChannel.open(dataDir.resolve(FILE_NAME), StandardOpenOption.CREATE, StandardOpenOption.WRITE);
        } catch (IOException e) {
            throw new EmbeddedKafkaException("Cannot create the Kafka data directory " + dataDir + ": " + e, e);
        }
    }

    private static void closeQuietly(FileChannel channel) {
        try {
            channel.close();
        } catch (IOException ignored) {
            // nothing was locked through this channel
        }
    }

    /** Releases the lock. */
    @Override
    public void close() {
        try {
            lock.release();
        } catch (IOException ignored) {
            // closing the channel below releases it as well
        }
        closeQuietly(channel);
    }
}
