package io.ccdstream.models.classifier;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.nn.Activation;
import ai.djl.training.loss.Loss;

/**
 * The training loss of ALGORITHM.md section 5:
 *
 * <pre>
 * L = BCE(z_weak, y) + beta * BCE(z_strong, stopgrad(sigmoid(z_weak)))
 * </pre>
 *
 * where BCE is binary cross-entropy with logits averaged over all images and classes, as
 * PyTorch's {@code BCEWithLogitsLoss} with mean reduction, and the targets y may be any values in
 * [0, 1]. The consistency term's target is detached, so it sends no gradient into {@code z_weak}.
 *
 * <p>BCE is computed as {@code softplus(z) - z * y}, whose gradient is {@code sigmoid(z) - y}
 * everywhere. DJL's {@code SigmoidBinaryCrossEntropyLoss} writes it as {@code relu(z) - z * y +
 * softplus(-|z|)}, equal in value, but autograd then takes the subgradients of relu and |z| at 0
 * and returns {@code -y} instead of {@code 0.5 - y} for a logit of exactly 0 (which a head on
 * all-zero features produces).
 */
final class CcdLoss {

    /** BCE with logits and soft targets, mean over all elements, as a DJL loss. */
    static final Loss BCE = new SoftTargetBce();

    private CcdLoss() {}

    /**
     * @param zWeak logits of the weak views {@code [N, C]}
     * @param targets soft targets {@code [N, C]} in [0, 1]
     * @param zStrong logits of the strong views {@code [N, C]}; ignored (may be null) when beta is 0
     * @param beta weight of the consistency term
     * @return the scalar loss
     */
    static NDArray loss(NDArray zWeak, NDArray targets, NDArray zStrong, float beta) {
        NDArray supervised = bce(zWeak, targets);
        if (beta == 0f) {
            return supervised;
        }
        return supervised.add(consistency(zWeak, zStrong).mul(beta));
    }

    /**
     * The loss with a weight per image on the supervised term: {@code mean_i,c(w_i * bce_ic) + beta *
     * consistency}; all weights 1 give {@link #loss(NDArray, NDArray, NDArray, float)}.
     *
     * @param weights {@code [N]} weights, at least 0
     */
    static NDArray loss(NDArray zWeak, NDArray targets, NDArray weights, NDArray zStrong, float beta) {
        NDArray perElement = Activation.softPlus(zWeak).sub(zWeak.mul(targets));
        NDArray supervised = perElement.mul(weights.reshape(-1, 1)).mean();
        if (beta == 0f) {
            return supervised;
        }
        return supervised.add(consistency(zWeak, zStrong).mul(beta));
    }

    /** @return {@code BCE(zStrong, stopgrad(sigmoid(zWeak)))} */
    static NDArray consistency(NDArray zWeak, NDArray zStrong) {
        return bce(zStrong, Activation.sigmoid(zWeak).stopGradient());
    }

    /** @return {@code mean(softplus(logits) - logits * targets)} */
    static NDArray bce(NDArray logits, NDArray targets) {
        return Activation.softPlus(logits).sub(logits.mul(targets)).mean();
    }

    /** {@link #bce} as a DJL {@link Loss} (labels first, as DJL orders them). */
    private static final class SoftTargetBce extends Loss {
        SoftTargetBce() {
            super("SoftTargetBCE");
        }

        @Override
        public NDArray evaluate(NDList labels, NDList predictions) {
            return bce(predictions.singletonOrThrow(), labels.singletonOrThrow());
        }
    }
}
