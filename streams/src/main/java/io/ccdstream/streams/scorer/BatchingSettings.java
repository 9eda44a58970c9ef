package io.ccdstream.streams.scorer;

import java.time.Duration;

/**
 * How the scorer sizes and paces its model calls (see {@link BatchSizer} and {@link ModelLane}).
 *
 * @param minBatchSize     the smallest call the adaptive batch size starts from and may fall back to
 * @param maxCallTime      the longest a model call should take: the batch size is chosen so that a
 *                         call's measured cost stays within it (one image is the exception: it cannot
 *                         be split)
 * @param maxBlock         the longest the stream thread waits for the model when the images waiting
 *                         for it reach twice the batch size; the thread then goes on (polls, commits)
 *                         and waits again on the next image, so a transaction never stays open much
 *                         longer than this plus the commit interval, whatever the model costs
 * @param modelConcurrency model calls running at once in one scorer instance, all tasks together
 */
public record BatchingSettings(int minBatchSize, Duration maxCallTime, Duration maxBlock, int modelConcurrency) {

    /** From one image, calls of up to 2 s, waits of up to 500 ms, one call at a time. */
    public static final BatchingSettings DEFAULTS =
            new BatchingSettings(1, Duration.ofSeconds(2), Duration.ofMillis(500), 1);

    /** Calls of exactly {@code size} images (no adaptation), otherwise the defaults. */
    public static BatchingSettings fixedSize(int size) {
        return new BatchingSettings(size, DEFAULTS.maxCallTime(), DEFAULTS.maxBlock(), DEFAULTS.modelConcurrency());
    }

    /** Validates. */
    public BatchingSettings {
        if (minBatchSize < 1 || modelConcurrency < 1) {
            throw new IllegalArgumentException("minBatchSize and modelConcurrency must be positive");
        }
        if (maxCallTime.isNegative() || maxCallTime.isZero() || maxBlock.isNegative() || maxBlock.isZero()) {
            throw new IllegalArgumentException("maxCallTime and maxBlock must be positive");
        }
    }
}
