package io.ccdstream.trainer;

import java.util.List;

/**
 * What a training round did.
 *
 * @param trainMaps       train-label mAP (%) after each epoch run, {@code m_1..m_E}
 * @param losses          mean loss of each epoch run
 * @param keptEpoch       the 1-based epoch whose weights are kept
 * @param baselineMap     train-label mAP of the starting weights on the same images; NaN when not measured
 * @param imagesSeen      training images presented up to the kept epoch
 * @param heldOut         the held-out signal after each epoch run; empty when the slice did not decide
 * @param baselineHeldOut the starting weights' held-out signal on the same slice; null when not measured
 * @param keptSha256      SHA-256 of the kept epoch's weights where the runner saved them to the candidate
 *                        file (it kept an earlier epoch than the last); null: the classifier holds them
 */
record RoundResult(
        List<Double> trainMaps,
        List<Double> losses,
        int keptEpoch,
        double baselineMap,
        long imagesSeen,
        List<HeldOutSignal.Result> heldOut,
        HeldOutSignal.Result baselineHeldOut,
        String keptSha256) {

    /** Freezes the lists. */
    RoundResult {
        trainMaps = List.copyOf(trainMaps);
        losses = List.copyOf(losses);
        heldOut = List.copyOf(heldOut);
    }

    /** A result the train-label rules decided (no held-out signal). */
    static RoundResult trainLabels(
            List<Double> trainMaps, List<Double> losses, int keptEpoch, double baselineMap, long imagesSeen) {
        return new RoundResult(trainMaps, losses, keptEpoch, baselineMap, imagesSeen, List.of(), null, null);
    }

    /** Whether the held-out signal chose the epoch (and decides the publication). */
    boolean heldOutDecided() {
        return !heldOut.isEmpty();
    }

    /** Train-label mAP of the kept epoch. */
    double keptTrainMap() {
        return trainMaps.get(keptEpoch - 1);
    }

    /** Mean loss of the kept epoch. */
    double keptLoss() {
        return losses.get(keptEpoch - 1);
    }

    /** The held-out signal of the kept epoch, or null. */
    HeldOutSignal.Result keptHeldOut() {
        return heldOut.isEmpty() ? null : heldOut.get(keptEpoch - 1);
    }
}
