package io.ccdstream.data.export;

import java.util.List;

/**
 * What an export writes: the labelled images of one class set at one stage.
 *
 * @param classSetId the class set
 * @param classNames its classes, in score order (category i + 1 in COCO, class i in YOLO)
 * @param thresholds per class, the threshold that selected it (for the record), NaN under top-k only
 * @param rule       how the positive classes were selected, in words
 * @param images     the images, sorted by id
 */
public record ExportSet(
        String classSetId, List<String> classNames, double[] thresholds, String rule, List<ExportedImage> images) {

    /** The class names of an image's positive classes, highest score first. */
    public List<String> positiveNames(ExportedImage image) {
        return image.positives().stream().map(classNames::get).toList();
    }
}
