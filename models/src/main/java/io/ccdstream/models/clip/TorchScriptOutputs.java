package io.ccdstream.models.clip;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.translate.TranslateException;

/** Tensor plumbing shared by the CLIP translators and the blocks they drive. */
final class TorchScriptOutputs {

    /** DJL PyTorch calls the TorchScript method named after this prefix instead of forward. */
    private static final String METHOD_PREFIX = "module_method:";

    private TorchScriptOutputs() {}

    /** @return the marker array that makes DJL PyTorch run {@code method} instead of forward */
    static NDArray methodSelector(NDManager manager, String method) {
        NDArray marker = manager.create("");
        marker.setName(METHOD_PREFIX + method);
        return marker;
    }

    /**
     * @return the method a translator's selector (the last input) names, or null when the inputs
     *     carry no selector
     */
    static String selectedMethod(NDList inputs) {
        if (inputs.isEmpty()) {
            return null;
        }
        String name = inputs.get(inputs.size() - 1).getName();
        return name != null && name.startsWith(METHOD_PREFIX) ? name.substring(METHOD_PREFIX.length()) : null;
    }

    /**
     * Checks the encoder output {@code [N, D]}, L2-normalises its rows with tensor ops in a
     * scratch manager and copies them out.
     */
    static float[][] normalisedRows(NDList output, int expectedRows, int embeddingDim, String method)
            throws TranslateException {
        if (output.size() != 1) {
            throw new TranslateException(method + " must return one tensor, got " + output.size());
        }
        NDArray features = output.get(0);
        Shape shape = features.getShape();
        if (shape.dimension() != 2 || shape.get(0) != expectedRows || shape.get(1) != embeddingDim) {
            throw new TranslateException(method + " returned shape " + shape + ", expected (" + expectedRows + ", "
                    + embeddingDim + ") with embeddingDim from the descriptor");
        }
        try (NDManager scratch = features.getManager().newSubManager()) {
            features.attach(scratch);
            NDArray asFloat = features.toType(DataType.FLOAT32, false);
            NDArray norms = asFloat.norm(new int[] {1}, true).maximum(1e-12f);
            float[] flat = asFloat.div(norms).toFloatArray();
            float[][] rows = new float[expectedRows][embeddingDim];
            for (int r = 0; r < expectedRows; r++) {
                System.arraycopy(flat, r * embeddingDim, rows[r], 0, embeddingDim);
            }
            return rows;
        }
    }
}
