package io.ccdstream.models.clip;

import java.util.Objects;

/**
 * The text side of a zero-shot classifier: one L2-normalised, prompt-ensembled embedding per class
 * of a {@link ClassSet}, in class order. Immutable.
 */
public final class ClassSetEmbedding {

    private final ClassSet classSet;
    private final float[][] weights;

    /**
     * @param classSet the class set
     * @param weights one embedding per class, all of the same dimension; copied
     */
    public ClassSetEmbedding(ClassSet classSet, float[][] weights) {
        this.classSet = Objects.requireNonNull(classSet, "classSet");
        if (weights.length != classSet.size()) {
            throw new IllegalArgumentException(
                    "expected " + classSet.size() + " class embeddings, got " + weights.length);
        }
        this.weights = new float[weights.length][];
        for (int c = 0; c < weights.length; c++) {
            if (weights[c].length != weights[0].length) {
                throw new IllegalArgumentException("class embeddings differ in dimension");
            }
            this.weights[c] = weights[c].clone();
        }
    }

    /** @return the class set */
    public ClassSet classSet() {
        return classSet;
    }

    /** @return the embedding dimension */
    public int dimension() {
        return weights[0].length;
    }

    /**
     * @param classIndex index into the class set
     * @return a copy of that class's embedding
     */
    public float[] weight(int classIndex) {
        return weights[classIndex].clone();
    }

    /**
     * Zero-shot probabilities of one image: {@code softmax(logitScale * cos(image, w_c))} over the
     * classes (ALGORITHM.md section 1, tau = 1 / logitScale).
     *
     * @param imageEmbedding an L2-normalised image embedding
     * @param logitScale the model's logit scale
     * @return one probability per class, summing to 1
     */
    public float[] probabilities(float[] imageEmbedding, float logitScale) {
        if (imageEmbedding.length != dimension()) {
            throw new IllegalArgumentException(
                    "image embedding has dimension " + imageEmbedding.length + ", classes " + dimension());
        }
        float[] logits = new float[weights.length];
        for (int c = 0; c < weights.length; c++) {
            logits[c] = logitScale * Vectors.dot(imageEmbedding, weights[c]);
        }
        return Vectors.softmax(logits);
    }
}
