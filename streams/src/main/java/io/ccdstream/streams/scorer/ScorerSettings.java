package io.ccdstream.streams.scorer;

import java.time.Duration;

/**
 * How the scorer batches its work.
 *
 * @param batchSize        the most images scored together (the adaptive batch size's ceiling)
 * @param maxWait          longest an image waits for its batch to fill (wall clock)
 * @param backfillInterval how often images scored before a checkpoint existed are refined, a batch at a time,
 *                         and how often images made with an older checkpoint are considered for re-scoring
 * @param rescore          re-scoring with a clearly better checkpoint
 * @param batching         how model calls are sized and paced; {@code batchSize} is their ceiling
 */
public record ScorerSettings(
        int batchSize,
        Duration maxWait,
        Duration backfillInterval,
        RescoreSettings rescore,
        BatchingSettings batching) {

    /** Batches of 16, flushed after 200 ms at the latest; backfill every second; re-scoring on. */
    public static final ScorerSettings DEFAULTS = new ScorerSettings(16, Duration.ofMillis(200), Duration.ofSeconds(1));

    /** With the default re-scoring and batching. */
    public ScorerSettings(int batchSize, Duration maxWait, Duration backfillInterval) {
        this(batchSize, maxWait, backfillInterval, RescoreSettings.DEFAULTS);
    }

    /** With the default batching. */
    public ScorerSettings(int batchSize, Duration maxWait, Duration backfillInterval, RescoreSettings rescore) {
        this(batchSize, maxWait, backfillInterval, rescore, BatchingSettings.DEFAULTS);
    }

    /** These settings with {@code other} re-scoring. */
    public ScorerSettings withRescore(RescoreSettings other) {
        return new ScorerSettings(batchSize, maxWait, backfillInterval, other, batching);
    }

    /** These settings with {@code other} batching. */
    public ScorerSettings withBatching(BatchingSettings other) {
        return new ScorerSettings(batchSize, maxWait, backfillInterval, rescore, other);
    }

    /** Validates. */
    public ScorerSettings {
        if (batchSize < 1) {
            throw new IllegalArgumentException("batchSize must be positive, got " + batchSize);
        }
        if (maxWait.isNegative() || maxWait.isZero() || backfillInterval.isNegative() || backfillInterval.isZero()) {
            throw new IllegalArgumentException("maxWait and backfillInterval must be positive");
        }
        java.util.Objects.requireNonNull(rescore, "rescore");
        java.util.Objects.requireNonNull(batching, "batching");
    }
}
