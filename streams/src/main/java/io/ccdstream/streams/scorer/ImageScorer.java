package io.ccdstream.streams.scorer;

import io.ccdstream.schemas.Image;
import io.ccdstream.schemas.ImageKey;
import io.ccdstream.schemas.Scores;

/**
 * Turns one image record into its raw CLIP scores. Implementations are thread-safe: each stream
 * thread calls the same instance.
 */
@FunctionalInterface
public interface ImageScorer {

    /**
     * Scores {@code image}.
     *
     * @throws io.ccdstream.streams.errors.PoisonRecordException when the record itself cannot be
     *         scored (bad image, unknown class set...); any other exception is a bug
     */
    Scores score(ImageKey key, Image image);
}
