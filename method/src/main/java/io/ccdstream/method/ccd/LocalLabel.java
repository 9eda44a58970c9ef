package io.ccdstream.method.ccd;

import java.util.List;

/**
 * Aggregates the CLIP scores of an image's crops into its local label (ALGORITHM.md section 4.4,
 * and the grid baseline's tile aggregation, section 7): {@code l_c = max over crops of p_c}.
 */
public final class LocalLabel {

    private LocalLabel() {}

    /**
     * @param cropScores each crop's CLIP softmax probabilities, all of {@code classCount} classes
     * @param classCount the number of classes
     * @return the per-class maximum over crops; all zeros when there is no crop
     */
    public static float[] maxOver(List<float[]> cropScores, int classCount) {
        float[] local = new float[classCount];
        for (float[] p : cropScores) {
            if (p.length != classCount) {
                throw new IllegalArgumentException("a crop has " + p.length + " scores, expected " + classCount);
            }
            for (int c = 0; c < classCount; c++) {
                local[c] = Math.max(local[c], p[c]);
            }
        }
        return local;
    }
}
