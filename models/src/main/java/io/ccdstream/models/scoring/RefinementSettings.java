package io.ccdstream.models.scoring;

import io.ccdstream.method.ccd.CamBoxConfig;
import io.ccdstream.method.ccd.ClassSelection;

/**
 * How the classifier guides the local views (ALGORITHM.md section 4).
 *
 * @param selection which classes get a crop: a fixed sigmoid threshold (paper: 0.5) or one
 *                  calibrated to a target mean number of crops per image, per scoring batch or
 *                  over a rolling window of recent images
 * @param boxes     CAM threshold, offset, box mode and boxes per class
 * @param padCrops  whether a crop, resized so its longer side is CLIP's input side, is padded to
 *                  a square with CLIP's mean colour (so the facade's centre crop keeps all of it)
 * @param localViews which local views refine the global score: CAM crops (CCD), a 3x3 grid
 *                  (the CDUL baseline) or none
 */
public record RefinementSettings(
        ClassSelection selection, CamBoxConfig boxes, boolean padCrops, LocalViews localViews) {

    /** CAM crops for 3-5 classes per image (calibrated over 256 images), CAM threshold 0.95, 12.5% offset, true min/max box. */
    public static final RefinementSettings DEFAULTS =
            new RefinementSettings(ClassSelection.serviceDefault(), CamBoxConfig.DEFAULTS, true);

    /** Validates. */
    public RefinementSettings {
        if (selection == null || boxes == null || localViews == null) {
            throw new IllegalArgumentException("selection, boxes and localViews are required");
        }
    }

    /** CAM-crop refinement with these selection and box settings. */
    public RefinementSettings(ClassSelection selection, CamBoxConfig boxes, boolean padCrops) {
        this(selection, boxes, padCrops, LocalViews.CAM);
    }

    /** The same with other local views. */
    public RefinementSettings withLocalViews(LocalViews other) {
        return new RefinementSettings(selection, boxes, padCrops, other);
    }
}
