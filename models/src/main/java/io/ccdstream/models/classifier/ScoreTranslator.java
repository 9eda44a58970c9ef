package io.ccdstream.models.classifier;

import ai.djl.ndarray.NDList;
import ai.djl.nn.Activation;
import ai.djl.translate.NoBatchifyTranslator;
import ai.djl.translate.TranslateException;
import ai.djl.translate.TranslatorContext;
import io.ccdstream.method.image.ClipPreprocessor;
import io.ccdstream.method.image.RgbImage;
import java.util.List;
import java.util.Objects;

/**
 * Translates a batch of images to per-class sigmoid scores: the images are preprocessed into one
 * {@code float32[N, 3, S, S]} tensor; of the classifier block's outputs {@code [logits, cam]} only
 * the logits are read, and {@code sigmoid(logits)} is copied to {@code float[N][C]}.
 */
public final class ScoreTranslator implements NoBatchifyTranslator<List<RgbImage>, float[][]> {

    private final ClipPreprocessor preprocessor;

    /** @param preprocessor the classifier's input preprocessing */
    public ScoreTranslator(ClipPreprocessor preprocessor) {
        this.preprocessor = Objects.requireNonNull(preprocessor, "preprocessor");
    }

    @Override
    public NDList processInput(TranslatorContext ctx, List<RgbImage> images) throws TranslateException {
        if (images.isEmpty()) {
            throw new TranslateException("Missing images: the batch is empty");
        }
        return new NDList(ImageBatch.toTensor(ctx.getNDManager(), preprocessor, images));
    }

    @Override
    public float[][] processOutput(TranslatorContext ctx, NDList list) throws TranslateException {
        if (list.isEmpty()) {
            throw new TranslateException("the classifier returned no logits");
        }
        return ImageBatch.rows(Activation.sigmoid(list.get(0)));
    }
}
