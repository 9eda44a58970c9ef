package io.ccdstream.streams.dashboard;

import io.ccdstream.method.active.ActiveSelection;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.Comparator;
import java.util.Deque;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;

/**
 * The images a person should review next: among the labelled images whose bytes the dashboard holds
 * and that nobody reviewed yet, the {@code capacity} most useful by the {@link ActiveSelection}
 * strategy (the least useful leaves first when a more useful one arrives). An image leaves the queue when
 * it is reviewed (here or anywhere: the feed reads {@code ccd.reviews}) or skipped; a new label of it puts
 * it back with its new usefulness, unless it was reviewed. Not thread-safe: {@link DashboardState} guards it.
 */
public final class ReviewQueue {

    /** Reviewed image ids remembered, so that they are not queued again. */
    static final int REVIEWED_KEPT = 100_000;

    /** The window over which the answers per minute are counted. */
    static final Duration RATE_WINDOW = Duration.ofMinutes(10);

    private final ActiveSelection selection;
    private final int capacity;
    private final Map<String, Candidate> candidates = new HashMap<>();
    /** Per reviewed image, the time of its latest review counted, so that one review counts once. */
    private final Map<String, Instant> reviewed = boundedMap(REVIEWED_KEPT);

    private final Deque<Instant> answers = new ArrayDeque<>();
    private long[] positives;
    private final Map<String, boolean[]> counted = boundedMap(REVIEWED_KEPT);
    private final Instant startedAt;
    private long answered;
    private long skipped;

    /**
     * A candidate image with what the review page shows.
     *
     * @param usefulness its usefulness by the queue's strategy
     * @param view       the image with every class's scores and the CAM boxes
     * @param image      its encoded bytes
     */
    public record Candidate(double usefulness, ReviewView view, DashboardState.EncodedImage image) {}

    /**
     * What the review page shows of an image.
     *
     * @param imageId    the image
     * @param stage      its label's stage
     * @param width      its width in pixels (0: unknown)
     * @param height     its height in pixels (0: unknown)
     * @param usefulness its usefulness by the strategy
     * @param classes    every class with its final, global and local score, in class order
     * @param suggested  the classes the pipeline says are present (its top class, and any at 0.5 or more)
     * @param boxes      the CAM boxes of its refinement
     */
    public record ReviewView(
            String imageId,
            String stage,
            int width,
            int height,
            double usefulness,
            List<DashboardState.ClassScore> classes,
            List<String> suggested,
            List<DashboardState.Box> boxes) {}

    /** A queue of at most {@code capacity} images of {@code classes} classes, counting answers from {@code startedAt}. */
    ReviewQueue(ActiveSelection selection, int capacity, int classes, Instant startedAt) {
        if (capacity < 1) {
            throw new IllegalArgumentException("the review queue needs room for at least one image, got " + capacity);
        }
        this.selection = selection;
        this.capacity = capacity;
        this.positives = new long[classes];
        this.startedAt = startedAt;
    }

    /**
     * A new label of an image: counts its classes for the rarity weights and queues the image if it is
     * among the most useful; {@code image} empty when the dashboard holds no bytes of it (not queued).
     */
    void label(
            String imageId,
            boolean[] present,
            float[] scores,
            float[] global,
            float[] local,
            boolean verified,
            Function<Double, ReviewView> view,
            Optional<DashboardState.EncodedImage> image) {
        boolean[] before = counted.put(imageId, present);
        for (int c = 0; c < positives.length; c++) {
            positives[c] += (present[c] ? 1 : 0) - (before != null && before[c] ? 1 : 0);
        }
        candidates.remove(imageId);
        if (verified || reviewed.containsKey(imageId) || image.isEmpty()) {
            return;
        }
        double usefulness = selection.usefulness(imageId, scores, global, local, positives);
        if (candidates.size() >= capacity) {
            Candidate least = candidates.values().stream()
                    .min(Comparator.comparingDouble(Candidate::usefulness))
                    .orElseThrow();
            if (least.usefulness() >= usefulness) {
                return;
            }
            candidates.remove(least.view().imageId());
        }
        candidates.put(imageId, new Candidate(usefulness, view.apply(usefulness), image.get()));
    }

    /** The most useful image to review, if any. */
    Optional<Candidate> next() {
        return candidates.values().stream().max(Comparator.comparingDouble(Candidate::usefulness));
    }

    /** A queued image, if it is in the queue. */
    Optional<Candidate> get(String imageId) {
        return Optional.ofNullable(candidates.get(imageId));
    }

    /**
     * A review of {@code imageId} made at {@code at} (by this dashboard or anyone): the image leaves the
     * queue for good; the review counts in the throughput when made since the dashboard started.
     */
    void reviewed(String imageId, Instant at, Instant now) {
        Instant before = reviewed.put(imageId, at);
        candidates.remove(imageId);
        if (!at.isBefore(startedAt) && !at.equals(before)) {
            answered++;
            answers.addLast(at.isAfter(now) ? now : at);
        }
        trim(now);
    }

    /** The person skipped {@code imageId}: it leaves the queue until a new label of it arrives. */
    boolean skip(String imageId) {
        boolean removed = candidates.remove(imageId) != null;
        if (removed) {
            skipped++;
        }
        return removed;
    }

    /** The queue's size and throughput at {@code now}. */
    Stats stats(Instant now) {
        trim(now);
        return new Stats(
                selection.strategy().id(),
                candidates.size(),
                capacity,
                answered,
                skipped,
                answers.size() / (double) RATE_WINDOW.toMinutes());
    }

    private void trim(Instant now) {
        Instant from = now.minus(RATE_WINDOW);
        while (!answers.isEmpty() && answers.peekFirst().isBefore(from)) {
            answers.removeFirst();
        }
    }

    /**
     * The queue's figures.
     *
     * @param strategy          how images are ranked
     * @param queued            images waiting for a review
     * @param capacity          most images queued
     * @param answered          reviews seen since the dashboard started
     * @param skipped           images skipped
     * @param answersPerMinute  reviews per minute over the last {@link #RATE_WINDOW}
     */
    public record Stats(
            String strategy, int queued, int capacity, long answered, long skipped, double answersPerMinute) {}

    private static <V> Map<String, V> boundedMap(int capacity) {
        return new LinkedHashMap<>() {
            @Override
            protected boolean removeEldestEntry(Map.Entry<String, V> eldest) {
                return size() > capacity;
            }
        };
    }
}
