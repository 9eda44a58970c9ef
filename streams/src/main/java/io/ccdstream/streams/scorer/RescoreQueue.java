package io.ccdstream.streams.scorer;

import io.ccdstream.schemas.Checkpoint;
import io.ccdstream.schemas.ImageKey;
import io.ccdstream.schemas.RescoreState;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.PriorityQueue;
import java.util.function.Function;

/**
 * The scorer task's view of the images it keeps for re-scoring: which checkpoint last examined each
 * one, in arrival order, mirrored from the task's changelogged state store (rebuilt from it when the
 * task starts), and the time budget re-scoring may spend.
 *
 * <p>An image is due when its class set's current checkpoint is newer than the one that made its
 * scores and clearly better by the trainer's held-out quality signal: {@code heldOutMap} at least
 * {@link RescoreSettings#minGain()} points above the earlier checkpoint's (any value beats an earlier
 * checkpoint that had none; a current checkpoint without one re-scores nothing). Due images are
 * taken most useful first: those made by the weakest checkpoint, then the most undecided, then the
 * most recent.
 *
 * <p>Budget: while the scorer keeps up with its input (see {@link ArrivalLag}), credit accrues at {@link RescoreSettings#share()} of wall-clock time (capped at two
 * seconds' worth) and each re-scoring batch spends its duration, so over time re-scoring takes at most
 * that share of the scorer's time, one batch of overshoot at most.
 *
 * <p>Not thread-safe: used by one stream task.
 */
final class RescoreQueue {

    private static final long MAX_CREDIT_WINDOW_NANOS = 2_000_000_000L;

    /** Weakest checkpoint first (none before any value), then most undecided, then newest. */
    private static final Comparator<Map.Entry<ImageKey, RescoreState>> MOST_USEFUL_FIRST =
            Comparator.<Map.Entry<ImageKey, RescoreState>>comparingDouble(
                            e -> e.getValue().getHeldOutMap() == null
                                    ? Double.NEGATIVE_INFINITY
                                    : e.getValue().getHeldOutMap())
                    .thenComparing(e -> -e.getValue().getUncertainty())
                    .thenComparing(e -> -e.getValue().getArrivedAt().toEpochMilli());

    private final RescoreSettings settings;
    private final LinkedHashMap<ImageKey, RescoreState> kept = new LinkedHashMap<>();
    private long creditNanos;
    private long lastTickMs = Long.MIN_VALUE;

    RescoreQueue(RescoreSettings settings) {
        this.settings = settings;
    }

    /** Forgets everything and loads {@code stored}, oldest arrival first. */
    void restore(List<Map.Entry<ImageKey, RescoreState>> stored) {
        kept.clear();
        stored.stream()
                .sorted(Comparator.comparing(e -> e.getValue().getArrivedAt()))
                .forEach(e -> kept.put(e.getKey(), e.getValue()));
    }

    /** Whether {@code key} is kept. */
    boolean contains(ImageKey key) {
        return kept.containsKey(key);
    }

    /** The checkpoint that made the latest scores of {@code key}, null when it is not kept. */
    Long checkpointVersion(ImageKey key) {
        RescoreState state = kept.get(key);
        return state == null ? null : state.getCheckpointVersion();
    }

    /** Images kept. */
    int size() {
        return kept.size();
    }

    /**
     * Records the latest scores' checkpoint of {@code key} (an image keeps its place in the arrival
     * order when it is re-scored).
     *
     * @return the images that arrived first and no longer fit, removed here; the caller removes them
     *     from its stores
     */
    List<ImageKey> put(ImageKey key, RescoreState state) {
        kept.put(key, state);
        List<ImageKey> evicted = new ArrayList<>();
        Iterator<ImageKey> oldestFirst = kept.keySet().iterator();
        while (kept.size() > settings.capacity() && oldestFirst.hasNext()) {
            ImageKey oldest = oldestFirst.next();
            if (!oldest.equals(key)) {
                oldestFirst.remove();
                evicted.add(oldest);
            }
        }
        return evicted;
    }

    /** Stops keeping {@code key}. */
    void remove(ImageKey key) {
        kept.remove(key);
    }

    /**
     * Up to {@code max} images due for re-scoring with the current checkpoints, most useful first.
     *
     * @param current the checkpoint in use per class set
     */
    List<ImageKey> due(Function<String, Optional<Checkpoint>> current, int max) {
        Map<String, Optional<Checkpoint>> checkpoints = new java.util.HashMap<>();
        PriorityQueue<Map.Entry<ImageKey, RescoreState>> best = new PriorityQueue<>(MOST_USEFUL_FIRST.reversed());
        for (Map.Entry<ImageKey, RescoreState> entry : kept.entrySet()) {
            Optional<Checkpoint> checkpoint =
                    checkpoints.computeIfAbsent(entry.getKey().getClassSetId(), current);
            if (checkpoint.isPresent() && isDue(entry.getValue(), checkpoint.get())) {
                best.add(entry);
                if (best.size() > max) {
                    best.poll();
                }
            }
        }
        List<Map.Entry<ImageKey, RescoreState>> chosen = new ArrayList<>(best);
        chosen.sort(MOST_USEFUL_FIRST);
        return chosen.stream().map(Map.Entry::getKey).toList();
    }

    /** Whether {@code current} should re-score an image whose scores {@code state} describes. */
    boolean isDue(RescoreState state, Checkpoint current) {
        Double now = current.getMetrics().getHeldOutMap();
        if (current.getVersion() <= state.getCheckpointVersion() || now == null || now.isNaN()) {
            return false;
        }
        Double before = state.getHeldOutMap();
        return before == null || before.isNaN() || now >= before + settings.minGain();
    }

    /**
     * Accrues credit for the wall-clock time since the last call and says whether re-scoring may run now.
     *
     * @param wallClockMs the punctuation's wall-clock time
     */
    boolean mayRun(long wallClockMs) {
        long cap = (long) (settings.share() * MAX_CREDIT_WINDOW_NANOS);
        if (lastTickMs != Long.MIN_VALUE && wallClockMs > lastTickMs) {
            creditNanos = Math.min(cap, creditNanos + (long) (settings.share() * (wallClockMs - lastTickMs) * 1e6));
        }
        lastTickMs = Math.max(lastTickMs, wallClockMs);
        return creditNanos > 0;
    }

    /** Accrues no credit for the time up to {@code wallClockMs}, and drops what was saved: the scorer is busy. */
    void hold(long wallClockMs) {
        lastTickMs = Math.max(lastTickMs, wallClockMs);
        creditNanos = Math.min(creditNanos, 0);
    }

    /** Spends {@code nanos} of the budget (a re-scoring batch took that long). */
    void spent(long nanos) {
        creditNanos -= nanos;
    }

    /** How undecided {@code globalProbabilities} are: 1 minus the gap between the two highest. */
    static float uncertainty(List<Float> globalProbabilities) {
        float first = 0;
        float second = 0;
        for (float p : globalProbabilities) {
            if (p > first) {
                second = first;
                first = p;
            } else if (p > second) {
                second = p;
            }
        }
        return Math.max(0f, Math.min(1f, 1f - (first - second)));
    }
}
