package io.ccdstream.streams.scorer;

import io.ccdstream.method.image.RgbImage;
import io.ccdstream.schemas.ImageKey;
import io.ccdstream.schemas.PendingImage;

/**
 * An image record that passed validation and decoding, ready to be scored in a batch.
 *
 * @param key     its key
 * @param pending the record with its source coordinates, as buffered
 * @param pixels  the decoded image
 */
public record Prepared(ImageKey key, PendingImage pending, RgbImage pixels) {}
