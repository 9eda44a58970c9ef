package io.ccdstream.trainer;

import java.util.List;

/**
 * What a training round did.
 *
 * @param trainMaps   train-label mAP (%) after each epoch run, {@code m_1..m_E}
 * @param losses      mean loss of each epoch run
 * @param keptEpoch   the 1-based epoch whose weights the classifier now holds (the last one run)
 * @param baselineMap train-label mAP of the starting weights on the same images; NaN when not measured
 * @param imagesSeen  training images presented up to the kept epoch
 */
record RoundResult(List<Double> trainMaps, List<Double> losses, int keptEpoch, double baselineMap, long imagesSeen) {

    /** Freezes the lists. */
    RoundResult {
        trainMaps = List.copyOf(trainMaps);
        losses = List.copyOf(losses);
    }

    /** Train-label mAP of the kept epoch. */
    double keptTrainMap() {
        return trainMaps.get(keptEpoch - 1);
    }

    /** Mean loss of the kept epoch. */
    double keptLoss() {
        return losses.get(keptEpoch - 1);
    }
}
