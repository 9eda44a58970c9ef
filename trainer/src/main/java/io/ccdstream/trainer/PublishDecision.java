package io.ccdstream.trainer;

import io.ccdstream.schemas.CheckpointPhase;
import java.util.Locale;

/**
 * Whether a round's kept weights are published, and why.
 * <ul>
 *   <li>WARMUP: always (the pipeline needs a first checkpoint).</li>
 *   <li>With the held-out signal (the slice was large enough; the candidate and the starting checkpoint
 *       scored on the same slice): REFINE when it beats the warm-up checkpoint at all, CONTINUOUS when it
 *       beats the latest checkpoint by more than {@code minHeldOutGain} points. A REFINE round that does
 *       not is not retried: continuous rounds follow from the warm-up checkpoint.</li>
 *   <li>Without it (ALGORITHM.md's rule): REFINE always; CONTINUOUS when its train-label mAP beats the latest
 *       checkpoint's on the same images by more than the round's {@link TrainingRound#minGain()}.</li>
 * </ul>
 *
 * @param publish whether to publish
 * @param reason  the figures behind it, for the log
 */
record PublishDecision(boolean publish, String reason) {

    /** Decides for {@code round}'s {@code result}. */
    static PublishDecision of(TrainingRound round, RoundResult result, double minHeldOutGain) {
        if (round.phase() == CheckpointPhase.WARMUP) {
            return new PublishDecision(true, "the warm-up is always published");
        }
        HeldOutSignal.Result base = result.baselineHeldOut();
        HeldOutSignal.Result kept = result.keptHeldOut();
        if (result.heldOutDecided() && base != null && base.present() && kept != null && kept.present()) {
            double needed = round.phase() == CheckpointPhase.REFINE ? 0 : minHeldOutGain;
            double gain = kept.map() - base.map();
            return new PublishDecision(
                    gain > needed,
                    String.format(
                            Locale.ROOT,
                            "held-out mAP %.2f (epoch %d) against v%d's %.2f on the same %d images, %d classes: gain %+.2f,"
                                    + " more than %.2f needed",
                            kept.map(),
                            result.keptEpoch(),
                            round.baseVersion(),
                            base.map(),
                            kept.images(),
                            kept.classes(),
                            gain,
                            needed));
        }
        if (!round.mustImprove()) {
            return new PublishDecision(
                    true,
                    "no held-out signal; the " + round.phase() + " round is published as ALGORITHM.md's schedule does");
        }
        double gain = result.keptTrainMap() - result.baselineMap();
        return new PublishDecision(
                gain > round.minGain(),
                String.format(
                        Locale.ROOT,
                        "no held-out signal; train-label mAP %.2f against v%d's %.2f on the same images: gain %+.2f,"
                                + " more than %.2f needed",
                        result.keptTrainMap(),
                        round.baseVersion(),
                        result.baselineMap(),
                        gain,
                        round.minGain()));
    }
}
