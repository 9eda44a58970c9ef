package io.ccdstream.models.clip;

import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.translate.NoBatchifyTranslator;
import ai.djl.translate.TranslateException;
import ai.djl.translate.TranslatorContext;
import io.ccdstream.method.image.ClipPreprocessor;
import io.ccdstream.method.image.RgbImage;
import java.util.List;
import java.util.Objects;

/**
 * Translates a batch of images to L2-normalised CLIP image embeddings through the model's
 * {@value #METHOD} (a TorchScript method, or the image encoder of a {@link MiniClipBlock}): the images are preprocessed ({@link ClipPreprocessor}) into one
 * {@code float32[N, 3, S, S]} tensor, the output {@code [N, D]} is normalised per row and copied to
 * {@code float[N][D]}. No batchifier: the batch is the input.
 */
public final class ImageTranslator implements NoBatchifyTranslator<List<RgbImage>, float[][]> {

    /** The method the selector input names (a TorchScript method name). */
    public static final String METHOD = "encode_image";

    private final ClipPreprocessor preprocessor;
    private final int embeddingDim;

    /**
     * @param preprocessor the model's image preprocessing
     * @param embeddingDim D, checked against the model output
     */
    public ImageTranslator(ClipPreprocessor preprocessor, int embeddingDim) {
        this.preprocessor = Objects.requireNonNull(preprocessor, "preprocessor");
        this.embeddingDim = embeddingDim;
    }

    @Override
    public NDList processInput(TranslatorContext ctx, List<RgbImage> images) throws TranslateException {
        if (images.isEmpty()) {
            throw new TranslateException("Missing images: the batch is empty");
        }
        int size = preprocessor.imageSize();
        NDManager manager = ctx.getNDManager();
        return new NDList(
                manager.create(preprocessor.toNchw(images), new Shape(images.size(), 3, size, size)),
                TorchScriptOutputs.methodSelector(manager, METHOD));
    }

    @Override
    public float[][] processOutput(TranslatorContext ctx, NDList list) throws TranslateException {
        return TorchScriptOutputs.normalisedRows(
                list, (int) list.get(0).getShape().get(0), embeddingDim, METHOD);
    }
}
