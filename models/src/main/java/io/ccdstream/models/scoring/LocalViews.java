package io.ccdstream.models.scoring;

/**
 * Which local views refine an image's global CLIP score.
 */
public enum LocalViews {
    /** Crops the classifier's CAMs point at, once a checkpoint exists (CCD, ALGORITHM.md section 4). */
    CAM,
    /**
     * A uniform 3x3 grid of tiles for every image, no classifier (the CDUL-style baseline,
     * ALGORITHM.md section 7).
     */
    GRID,
    /** None: labels stay at the global view (the "global labels only" ablation). */
    NONE
}
