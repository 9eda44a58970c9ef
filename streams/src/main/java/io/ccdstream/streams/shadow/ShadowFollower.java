package io.ccdstream.streams.shadow;

import io.ccdstream.models.classifier.Classifier;
import io.ccdstream.models.clip.ClassSet;
import io.ccdstream.schemas.Checkpoint;
import io.ccdstream.schemas.CheckpointStatus;
import io.ccdstream.schemas.ClassSetKey;
import io.ccdstream.streams.scorer.CheckpointFetcher;
import io.ccdstream.streams.scorer.CheckpointHolder;
import io.ccdstream.topics.SerdeFactory;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.errors.WakeupException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Follows the checkpoints topic for the shadow service, on its own thread: per class set, the
 * checkpoint in use (the latest {@code PROMOTED} record) and the candidate (the newest announced
 * version without a decision, newer than every decided one), each loaded into its own holder.
 */
public final class ShadowFollower implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(ShadowFollower.class);

    /** A candidate awaiting its verdict; {@code failure} says why it could not be loaded, if so. */
    public record Pending(Checkpoint candidate, String failure) {}

    private final KafkaConsumer<ClassSetKey, Checkpoint> consumer;
    private final CheckpointFetcher fetcher;
    private final Map<String, ClassSet> classSets = new HashMap<>();
    private final CheckpointHolder current = new CheckpointHolder();
    private final CheckpointHolder candidates = new CheckpointHolder();
    private final Map<String, State> states = new HashMap<>();
    private final Map<String, Pending> pending = new ConcurrentHashMap<>();
    private final Map<String, Checkpoint> serving = new ConcurrentHashMap<>();
    private final Thread thread;
    private volatile boolean running = true;

    private static final class State {
        Checkpoint serving;
        final TreeMap<Long, Checkpoint> announced = new TreeMap<>();
        long maxDecided;
        final java.util.Set<Long> decided = new java.util.HashSet<>();
    }

    /** Starts following the checkpoints of {@code classSets}. */
    public ShadowFollower(
            String bootstrapServers,
            SerdeFactory serdes,
            CheckpointFetcher fetcher,
            List<ClassSet> classSets,
            Map<String, ?> overrides) {
        this.fetcher = fetcher;
        classSets.forEach(c -> this.classSets.put(c.id(), c));
        this.consumer =
                io.ccdstream.streams.scorer.CheckpointFollower.fromBeginning(bootstrapServers, serdes, overrides);
        this.thread = new Thread(this::run, "ccd-shadow-follower");
        thread.setDaemon(true);
        thread.start();
    }

    private void run() {
        try {
            while (running) {
                Map<String, Boolean> touched = new HashMap<>();
                for (ConsumerRecord<ClassSetKey, Checkpoint> record : consumer.poll(Duration.ofMillis(200))) {
                    Checkpoint event = record.value();
                    if (event != null && classSets.containsKey(event.getClassSetId())) {
                        fold(states.computeIfAbsent(event.getClassSetId(), id -> new State()), event);
                        touched.put(event.getClassSetId(), true);
                    }
                }
                touched.keySet().forEach(this::sync);
            }
        } catch (WakeupException e) {
            if (running) {
                throw e;
            }
        } catch (RuntimeException e) {
            LOG.error("Shadow follower stopped; no further candidate will be evaluated", e);
        } finally {
            consumer.close();
        }
    }

    private static void fold(State state, Checkpoint event) {
        if (event.getStatus() == null) {
            state.announced.put(event.getVersion(), event);
            return;
        }
        state.decided.add(event.getVersion());
        state.maxDecided = Math.max(state.maxDecided, event.getVersion());
        if (event.getStatus() == CheckpointStatus.PROMOTED) {
            state.serving = event;
        }
    }

    private void sync(String classSetId) {
        State state = states.get(classSetId);
        ClassSet classSet = classSets.get(classSetId);
        if (state.serving != null) {
            Optional<Long> inUse = current.current(classSetId).map(Checkpoint::getVersion);
            if (inUse.isEmpty() || inUse.get() != state.serving.getVersion()) {
                try {
                    current.replace(load(state.serving, classSet));
                } catch (Exception e) {
                    LOG.warn(
                            "Shadow: cannot load the checkpoint in use v{}: {}",
                            state.serving.getVersion(),
                            e.getMessage());
                }
            }
            serving.put(classSetId, state.serving);
        }
        Map.Entry<Long, Checkpoint> newest = state.announced.lastEntry();
        if (newest == null || state.decided.contains(newest.getKey()) || newest.getKey() <= state.maxDecided) {
            pending.remove(classSetId);
            return;
        }
        Pending already = pending.get(classSetId);
        if (already != null && already.candidate().getVersion() == newest.getKey()) {
            return;
        }
        try {
            candidates.replace(load(newest.getValue(), classSet));
            pending.put(classSetId, new Pending(newest.getValue(), null));
            LOG.info("Shadow: candidate v{} of class set {} loaded", newest.getKey(), classSetId);
        } catch (Exception e) {
            pending.put(
                    classSetId,
                    new Pending(newest.getValue(), "cannot be fetched, verified or loaded: " + e.getMessage()));
        }
    }

    private CheckpointHolder.Loaded load(Checkpoint event, ClassSet classSet) throws Exception {
        return new CheckpointHolder.Loaded(
                event, Classifier.load(fetcher.fetch(event), event.getSha256(), classSet.classNames()));
    }

    /** The candidate awaiting a verdict for {@code classSetId}, if any. */
    public Optional<Pending> pending(String classSetId) {
        return Optional.ofNullable(pending.get(classSetId));
    }

    /** The latest promoted checkpoint of {@code classSetId}, if any. */
    public Optional<Checkpoint> serving(String classSetId) {
        return Optional.ofNullable(serving.get(classSetId));
    }

    /** The checkpoint in use, loaded. */
    public CheckpointHolder current() {
        return current;
    }

    /** The candidates, loaded. */
    public CheckpointHolder candidates() {
        return candidates;
    }

    @Override
    public void close() {
        running = false;
        consumer.wakeup();
        try {
            thread.join(10_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        current.close();
        candidates.close();
    }
}
