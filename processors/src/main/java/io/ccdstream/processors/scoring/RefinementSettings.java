package io.ccdstream.processors.scoring;

import io.ccdstream.processors.ccd.CamBoxConfig;
import io.ccdstream.processors.ccd.ClassSelection;

/**
 * How the classifier guides the local views (ALGORITHM.md section 4).
 *
 * @param selection which classes get a crop: a fixed sigmoid threshold (paper: 0.5) or one
 *                  calibrated per scoring batch to a target mean number of crops per image
 * @param boxes     CAM threshold, offset and box mode
 * @param padCrops  whether a crop, resized so its longer side is CLIP's input side, is padded to
 *                  a square with CLIP's mean colour (so the facade's centre crop keeps all of it)
 */
public record RefinementSettings(ClassSelection selection, CamBoxConfig boxes, boolean padCrops) {

    /** The paper's settings: threshold 0.5, CAM threshold 0.95, 12.5% offset, true min/max box. */
    public static final RefinementSettings DEFAULTS =
        new RefinementSettings(ClassSelection.paperDefault(), CamBoxConfig.DEFAULTS, true);
}
