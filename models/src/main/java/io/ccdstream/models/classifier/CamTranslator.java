package io.ccdstream.models.classifier;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Activation;
import ai.djl.translate.NoBatchifyTranslator;
import ai.djl.translate.TranslateException;
import ai.djl.translate.TranslatorContext;
import io.ccdstream.method.image.ClipPreprocessor;
import io.ccdstream.method.image.RgbImage;
import java.util.List;
import java.util.Objects;

/**
 * Translates a batch of images to logits, sigmoid scores and class activation maps. Expects the
 * classifier block's outputs {@code [logits [N, C], cam [N, C, h, w]]}; positive CAM values are
 * multiplied by the CAM scale (negative ones and the logits are left alone).
 */
public final class CamTranslator implements NoBatchifyTranslator<List<RgbImage>, ClassifierOutput> {

    private final ClipPreprocessor preprocessor;
    private final float camScale;

    /**
     * @param preprocessor the classifier's input preprocessing
     * @param camScale factor for positive CAM values, 1 for none
     */
    public CamTranslator(ClipPreprocessor preprocessor, float camScale) {
        this.preprocessor = Objects.requireNonNull(preprocessor, "preprocessor");
        this.camScale = camScale;
    }

    @Override
    public NDList processInput(TranslatorContext ctx, List<RgbImage> images) throws TranslateException {
        if (images.isEmpty()) {
            throw new TranslateException("Missing images: the batch is empty");
        }
        return new NDList(ImageBatch.toTensor(ctx.getNDManager(), preprocessor, images));
    }

    @Override
    public ClassifierOutput processOutput(TranslatorContext ctx, NDList list) throws TranslateException {
        if (list.size() != 2 || list.get(1).getShape().dimension() != 4) {
            throw new TranslateException("expected [logits [N, C], cam [N, C, h, w]] from the classifier, got " + list);
        }
        NDArray logits = list.get(0);
        NDArray cam = list.get(1);
        if (camScale != 1f) {
            cam = cam.maximum(0f).mul(camScale).add(cam.minimum(0f));
        }
        return new ClassifierOutput(ImageBatch.rows(logits), ImageBatch.rows(Activation.sigmoid(logits)), maps(cam));
    }

    private static float[][][][] maps(NDArray cam) {
        Shape shape = cam.getShape();
        int n = Math.toIntExact(shape.get(0));
        int c = Math.toIntExact(shape.get(1));
        int h = Math.toIntExact(shape.get(2));
        int w = Math.toIntExact(shape.get(3));
        float[] flat = cam.toFloatArray();
        float[][][][] maps = new float[n][c][h][w];
        int at = 0;
        for (int i = 0; i < n; i++) {
            for (int k = 0; k < c; k++) {
                for (int y = 0; y < h; y++) {
                    System.arraycopy(flat, at, maps[i][k][y], 0, w);
                    at += w;
                }
            }
        }
        return maps;
    }
}
