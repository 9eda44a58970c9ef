package io.ccdstream.streams.scorer;

import java.time.Duration;

/**
 * How the scorer batches its work.
 *
 * @param batchSize        images scored together; keep {@code batchSize * (1 + crops per image)}
 *                         CLIP inferences well inside {@code max.poll.interval.ms}
 * @param maxWait          longest an image waits for its batch to fill (wall clock)
 * @param backfillInterval how often images scored before a checkpoint existed are refined, a batch at a time
 */
public record ScorerSettings(int batchSize, Duration maxWait, Duration backfillInterval) {

    /** Batches of 16, flushed after 200 ms at the latest; backfill every second. */
    public static final ScorerSettings DEFAULTS = new ScorerSettings(16, Duration.ofMillis(200), Duration.ofSeconds(1));

    /** Validates. */
    public ScorerSettings {
        if (batchSize < 1) {
            throw new IllegalArgumentException("batchSize must be positive, got " + batchSize);
        }
        if (maxWait.isNegative() || maxWait.isZero() || backfillInterval.isNegative() || backfillInterval.isZero()) {
            throw new IllegalArgumentException("maxWait and backfillInterval must be positive");
        }
    }
}
