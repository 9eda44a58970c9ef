package io.ccdstream.streams.scorer;

import io.ccdstream.models.classifier.Classifier;
import io.ccdstream.schemas.Checkpoint;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.locks.ReadWriteLock;
import java.util.concurrent.locks.ReentrantReadWriteLock;
import java.util.function.BiFunction;

/**
 * The classifier checkpoint currently in use per class set. A new checkpoint is swapped in
 * atomically; the one it replaces is closed only once no scoring call uses it any more.
 */
public final class CheckpointHolder implements AutoCloseable {

    /** A loaded checkpoint and the event that announced it. */
    public record Loaded(Checkpoint event, Classifier classifier) {}

    private final Map<String, Loaded> current = new ConcurrentHashMap<>();
    private final ReadWriteLock lock = new ReentrantReadWriteLock();

    /** The event of the checkpoint in use for {@code classSetId}, if any. */
    public Optional<Checkpoint> current(String classSetId) {
        Loaded loaded = current.get(classSetId);
        return loaded == null ? Optional.empty() : Optional.of(loaded.event());
    }

    /** Whether a checkpoint is in use for {@code classSetId}. */
    public boolean has(String classSetId) {
        return current.containsKey(classSetId);
    }

    /**
     * Runs {@code work} with the checkpoint in use for {@code classSetId} (or null when there is
     * none); the checkpoint stays open until {@code work} returns.
     */
    public <T> T withCheckpoint(String classSetId, BiFunction<Checkpoint, Classifier, T> work) {
        lock.readLock().lock();
        try {
            Loaded loaded = current.get(classSetId);
            return loaded == null ? work.apply(null, null) : work.apply(loaded.event(), loaded.classifier());
        } finally {
            lock.readLock().unlock();
        }
    }

    /**
     * Makes {@code loaded} the checkpoint of its class set if it is newer than the one in use;
     * returns whether it was installed (an older or equal version is closed and refused).
     */
    public boolean install(Loaded loaded) {
        String classSetId = loaded.event().getClassSetId();
        Loaded replaced;
        lock.writeLock().lock();
        try {
            Loaded existing = current.get(classSetId);
            if (existing != null
                    && existing.event().getVersion() >= loaded.event().getVersion()) {
                replaced = loaded;
            } else {
                current.put(classSetId, loaded);
                replaced = existing;
            }
        } finally {
            lock.writeLock().unlock();
        }
        if (replaced != null) {
            replaced.classifier().close();
        }
        return replaced != loaded;
    }

    /**
     * Makes {@code loaded} the checkpoint of its class set whatever the version in use (a promotion,
     * or a rollback to an older version); returns false, closing it, when that version is already in use.
     */
    public boolean replace(Loaded loaded) {
        String classSetId = loaded.event().getClassSetId();
        Loaded replaced;
        lock.writeLock().lock();
        try {
            Loaded existing = current.get(classSetId);
            if (existing != null
                    && existing.event().getVersion() == loaded.event().getVersion()) {
                replaced = loaded;
            } else {
                current.put(classSetId, loaded);
                replaced = existing;
            }
        } finally {
            lock.writeLock().unlock();
        }
        if (replaced != null) {
            replaced.classifier().close();
        }
        return replaced != loaded;
    }

    @Override
    public void close() {
        lock.writeLock().lock();
        try {
            current.values().forEach(loaded -> loaded.classifier().close());
            current.clear();
        } finally {
            lock.writeLock().unlock();
        }
    }
}
