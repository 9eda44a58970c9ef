package io.ccdstream.models.miniclip;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.training.loss.Loss;

/**
 * CLIP's symmetric contrastive loss with soft targets: for a batch of N image-caption pairs the
 * logits are {@code scale * I T^T} (I, T the L2-normalised embeddings), and the loss is the mean of
 * the image-to-text and text-to-image cross-entropies against a target matrix. With one positive
 * per row (the identity) this is CLIP's loss; mini-CLIP spreads each row's target over the captions
 * that name the same class, since identical meanings in one batch are not negatives.
 *
 * <p>Predictions are {@code [image [N,D], text [N,D], scale [1]]} (the {@link
 * io.ccdstream.models.clip.MiniClipBlock} training output); labels are {@code [targets [N,N]]}
 * with rows summing to 1.
 */
public final class ContrastiveLoss extends Loss {

    /** A loss named "contrastive". */
    public ContrastiveLoss() {
        super("contrastive");
    }

    @Override
    public NDArray evaluate(NDList labels, NDList predictions) {
        NDArray image = predictions.get(0);
        NDArray text = predictions.get(1);
        NDArray scale = predictions.get(2);
        NDArray targets = labels.singletonOrThrow();
        NDArray logits = image.matMul(text.transpose()).mul(scale);
        NDArray imageToText = crossEntropy(logits, targets);
        NDArray textToImage = crossEntropy(logits.transpose(), targets.transpose());
        return imageToText.add(textToImage).div(2f);
    }

    private static NDArray crossEntropy(NDArray logits, NDArray targets) {
        return targets.mul(logits.logSoftmax(1)).sum(new int[] {1}).neg().mean();
    }
}
