package io.ccdstream.models.classifier;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import io.ccdstream.method.image.ClipPreprocessor;
import io.ccdstream.method.image.RgbImage;
import java.util.List;

/** Images to the model's input tensor; shared by the translators and the training step. */
final class ImageBatch {

    private ImageBatch() {}

    /**
     * @return {@code float32[N, 3, S, S]}, each image resized and normalised by the preprocessor,
     *     attached to {@code manager}
     */
    static NDArray toTensor(NDManager manager, ClipPreprocessor preprocessor, List<RgbImage> images) {
        int size = preprocessor.imageSize();
        return manager.create(preprocessor.toNchw(images), new Shape(images.size(), 3, size, size));
    }

    /** Copies a {@code [N, C]} tensor into Java rows. */
    static float[][] rows(NDArray matrix) {
        Shape shape = matrix.getShape();
        int n = Math.toIntExact(shape.get(0));
        int c = Math.toIntExact(shape.get(1));
        float[] flat = matrix.toFloatArray();
        float[][] rows = new float[n][c];
        for (int i = 0; i < n; i++) {
            System.arraycopy(flat, i * c, rows[i], 0, c);
        }
        return rows;
    }
}
