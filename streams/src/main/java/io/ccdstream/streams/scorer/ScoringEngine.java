package io.ccdstream.streams.scorer;

import io.ccdstream.schemas.Image;
import io.ccdstream.schemas.ImageKey;
import io.ccdstream.schemas.Scores;
import java.util.List;

/** What the batching scorer processor needs from the models. Implementations are thread-safe. */
public interface ScoringEngine {

    /**
     * Validates and decodes one image record.
     *
     * @throws io.ccdstream.topics.PoisonRecordException when the record cannot be scored
     */
    io.ccdstream.method.image.RgbImage prepare(ImageKey key, Image image);

    /** Whether images of {@code classSetId} can get their CAM-crop refinement now (a checkpoint is loaded). */
    boolean canRefine(String classSetId);

    /**
     * Whether an image scored without local views will be refined once a checkpoint arrives, so
     * the scorer keeps it for the backfill. False for an engine that never uses checkpoints.
     */
    boolean refinesLater();

    /**
     * The classifier checkpoint images of {@code classSetId} are scored with now, if any; empty for an
     * engine that does not use checkpoints.
     */
    default java.util.Optional<io.ccdstream.schemas.Checkpoint> checkpoint(String classSetId) {
        return java.util.Optional.empty();
    }

    /**
     * Scores a batch: refined where a checkpoint is loaded for the image's class set, global only
     * otherwise. Returns one result per input, in order.
     */
    List<Scores> score(List<Prepared> batch);

    /**
     * Scores a control image (plain, of the model's input size) for {@code classSetId} as a batch
     * would, to tell a failure caused by an image from a failure of the model itself.
     *
     * @throws RuntimeException when the model cannot score even the control image
     */
    void checkModel(String classSetId);
}
