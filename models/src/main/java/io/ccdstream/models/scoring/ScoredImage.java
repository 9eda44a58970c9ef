package io.ccdstream.models.scoring;

import io.ccdstream.method.ccd.CropBox;
import java.util.List;

/**
 * The raw CLIP scores of one image: global softmax probabilities, and, when a classifier guided
 * the local views, the per-class max over the crops' probabilities and the crops themselves.
 *
 * @param global         softmax probabilities of the global view
 * @param local          per-class max over the crops, zeros when no class was selected; null when
 *                       no classifier was used
 * @param boxes          the crops, in original image pixels
 * @param clipInferences CLIP image inferences spent: 1 + number of crops
 */
public record ScoredImage(float[] global, float[] local, List<CropBox> boxes, int clipInferences) {

    /** Freezes the boxes. */
    public ScoredImage {
        boxes = List.copyOf(boxes);
    }
}
