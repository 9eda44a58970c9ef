package io.ccdstream.models.classifier;

import java.util.List;
import java.util.Objects;

/**
 * The classifier's view of a batch of images, as Java arrays.
 *
 * <p>The arrays are handed over, not copied, and compared by reference in {@code equals}.
 *
 * @param logits {@code [N][C]}, the spatial mean of the unscaled CAM
 * @param scores {@code [N][C]}, {@code sigmoid(logits)}
 * @param cams {@code [N][C][h][w]}, the class activation maps, positive values multiplied by the
 *     configured CAM scale
 */
public record ClassifierOutput(float[][] logits, float[][] scores, float[][][][] cams) {

    /** @throws IllegalArgumentException if the three arrays disagree on N */
    public ClassifierOutput {
        Objects.requireNonNull(logits, "logits");
        Objects.requireNonNull(scores, "scores");
        Objects.requireNonNull(cams, "cams");
        if (logits.length != scores.length || logits.length != cams.length) {
            throw new IllegalArgumentException("logits, scores and cams must have one entry per image");
        }
    }

    /** @return N, the number of images */
    public int size() {
        return logits.length;
    }

    /**
     * @param image image index
     * @param classIndex class index
     * @return that image's CAM for that class, {@code [h][w]}
     */
    public float[][] cam(int image, int classIndex) {
        return cams[image][classIndex];
    }

    /** Concatenates outputs of consecutive batches. */
    static ClassifierOutput concat(List<ClassifierOutput> parts) {
        if (parts.size() == 1) {
            return parts.get(0);
        }
        int n = parts.stream().mapToInt(ClassifierOutput::size).sum();
        float[][] logits = new float[n][];
        float[][] scores = new float[n][];
        float[][][][] cams = new float[n][][][];
        int at = 0;
        for (ClassifierOutput part : parts) {
            System.arraycopy(part.logits, 0, logits, at, part.size());
            System.arraycopy(part.scores, 0, scores, at, part.size());
            System.arraycopy(part.cams, 0, cams, at, part.size());
            at += part.size();
        }
        return new ClassifierOutput(logits, scores, cams);
    }
}
