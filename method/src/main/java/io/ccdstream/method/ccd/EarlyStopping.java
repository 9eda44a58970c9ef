package io.ccdstream.method.ccd;

import java.util.OptionalInt;

/**
 * CCD's label-free early stopping (ALGORITHM.md section 5): with the per-epoch "train mAP"
 * {@code m_1..m_E} (the classifier against its own binarised pseudo-labels, see
 * {@code io.ccdstream.method.metrics.MeanAveragePrecision#trainMap}) and the gains
 * {@code g_e = m_e - m_{e-1}}, keep the checkpoint of the first epoch where {@code g_e > g_{e-1}}
 * (the train mAP's growth speeds up again); if that never happens, keep the last.
 *
 * <p>Indexing: epochs are numbered from 1; there is no {@code m_0}, so {@code g_e} exists from
 * {@code e = 2} and the first comparison is {@code g_3 > g_2} at epoch 3. Epochs 1 and 2 are
 * never chosen by the rule, only as the last epoch of a run that short. This matches the released
 * script, whose first possible trigger is its third epoch (0-based epoch 2) because it starts both
 * gains at 100. Equal gains (a plateau or a straight line) do not trigger.
 */
public final class EarlyStopping {

    private EarlyStopping() {}

    /**
     * @param trainMap {@code m_1..m_E}, at least one epoch
     * @return the 1-based epoch whose checkpoint to keep
     */
    public static int chooseEpoch(double... trainMap) {
        if (trainMap.length == 0) {
            throw new IllegalArgumentException("need the train mAP of at least one epoch");
        }
        return firstRise(trainMap).orElse(trainMap.length);
    }

    /**
     * For a trainer that decides after every epoch: whether the rule has fired yet.
     *
     * @param trainMap {@code m_1..m_e} so far
     * @return the first 1-based epoch {@code e >= 3} with {@code g_e > g_{e-1}}, if any
     */
    public static OptionalInt firstRise(double... trainMap) {
        for (int e = 3; e <= trainMap.length; e++) {
            if (gain(trainMap, e) > gain(trainMap, e - 1)) {
                return OptionalInt.of(e);
            }
        }
        return OptionalInt.empty();
    }

    /** {@code g_e = m_e - m_{e-1}} for a 1-based {@code e >= 2}. */
    private static double gain(double[] trainMap, int e) {
        return trainMap[e - 1] - trainMap[e - 2];
    }
}
