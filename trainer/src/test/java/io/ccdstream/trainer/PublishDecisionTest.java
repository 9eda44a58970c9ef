package io.ccdstream.trainer;

import static org.assertj.core.api.Assertions.assertThat;

import io.ccdstream.schemas.CheckpointPhase;
import java.util.List;
import org.junit.jupiter.api.Test;

class PublishDecisionTest {

    private static final double MIN_GAIN = 0.5;

    @Test
    void shouldAlwaysPublishTheWarmup() {
        RoundResult worse = heldOut(40.0, 10.0);

        assertThat(PublishDecision.of(round(CheckpointPhase.WARMUP, 0), worse, MIN_GAIN)
                        .publish())
                .isTrue();
    }

    @Test
    void shouldPublishAContinuousRoundOnlyAboveTheHeldOutGain() {
        TrainingRound round = round(CheckpointPhase.CONTINUOUS, 0.0);

        assertThat(PublishDecision.of(round, heldOut(50.0, 50.6), MIN_GAIN).publish())
                .isTrue();
        PublishDecision small = PublishDecision.of(round, heldOut(50.0, 50.4), MIN_GAIN);
        assertThat(small.publish()).isFalse();
        assertThat(small.reason()).contains("held-out mAP 50.40").contains("v3's 50.00");
    }

    @Test
    void shouldIgnoreTheTrainLabelMapWhenTheHeldOutSignalDecides() {
        // train-label mAP rose from 10 to 70 on the round's images, the held-out mAP fell
        RoundResult result =
                new RoundResult(List.of(70.0), List.of(0.2), 1, 10.0, 10, List.of(signal(45.0)), signal(50.0), null);

        assertThat(PublishDecision.of(round(CheckpointPhase.CONTINUOUS, 0.0), result, MIN_GAIN)
                        .publish())
                .isFalse();
    }

    @Test
    void shouldPublishARefinementThatBeatsTheWarmupAtAllAndNotOneThatDoesNot() {
        TrainingRound refine = round(CheckpointPhase.REFINE, Double.NEGATIVE_INFINITY);

        assertThat(PublishDecision.of(refine, heldOut(31.3, 31.4), MIN_GAIN).publish())
                .isTrue();
        assertThat(PublishDecision.of(refine, heldOut(31.3, 10.0), MIN_GAIN).publish())
                .isFalse();
    }

    @Test
    void shouldFallBackToTheTrainLabelRuleWithoutAHeldOutSignal() {
        TrainingRound continuous = round(CheckpointPhase.CONTINUOUS, 0.0);

        PublishDecision better = PublishDecision.of(
                continuous, RoundResult.trainLabels(List.of(60.0), List.of(0.2), 1, 55.0, 10), MIN_GAIN);
        PublishDecision worse = PublishDecision.of(
                continuous, RoundResult.trainLabels(List.of(50.0), List.of(0.2), 1, 55.0, 10), MIN_GAIN);

        assertThat(better.publish()).isTrue();
        assertThat(better.reason()).contains("no held-out signal");
        assertThat(worse.publish()).isFalse();
        assertThat(PublishDecision.of(
                                round(CheckpointPhase.REFINE, Double.NEGATIVE_INFINITY),
                                RoundResult.trainLabels(List.of(10.0), List.of(0.2), 1, 31.3, 10),
                                MIN_GAIN)
                        .publish())
                .as("without a slice, the refinement is published as ALGORITHM.md's schedule does")
                .isTrue();
    }

    private static RoundResult heldOut(double base, double kept) {
        return new RoundResult(List.of(50.0), List.of(0.2), 1, 50.0, 10, List.of(signal(kept)), signal(base), null);
    }

    private static HeldOutSignal.Result signal(double map) {
        return new HeldOutSignal.Result(map, 64, 12);
    }

    private static TrainingRound round(CheckpointPhase phase, double minGain) {
        return new TrainingRound(
                phase, phase == CheckpointPhase.WARMUP ? 0 : 3, List.of(), false, 1f, 3, true, minGain, 0);
    }
}
