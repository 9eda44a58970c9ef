package io.ccdstream.streams.shadow;

import static org.assertj.core.api.Assertions.assertThat;

import io.ccdstream.schemas.CamBox;
import io.ccdstream.schemas.Checkpoint;
import io.ccdstream.schemas.CheckpointMetrics;
import io.ccdstream.schemas.CheckpointPhase;
import io.ccdstream.schemas.Scores;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class PromotionRuleTest {

    private static Checkpoint checkpoint(long version, Double heldOut) {
        return Checkpoint.newBuilder()
                .setClassSetId("c")
                .setVersion(version)
                .setPhase(CheckpointPhase.CONTINUOUS)
                .setArchitecture("small-cnn")
                .setLocation("file:/x")
                .setSha256("00")
                .setSizeBytes(1)
                .setCreatedAt(Instant.EPOCH)
                .setMetrics(new CheckpointMetrics(0.0, 0.0, 0L, 0, heldOut, 0, 0))
                .build();
    }

    /** An image of 4 classes whose global view ranks {@code seen} first, with a crop for {@code crop} (or none). */
    private static Scores image(int seen, Integer crop) {
        List<Float> global = new ArrayList<>(List.of(0.1f, 0.1f, 0.1f, 0.1f));
        global.set(seen, 0.7f);
        return Scores.newBuilder()
                .setImageId("i")
                .setClassSetId("c")
                .setModelId("m")
                .setImageWidth(10)
                .setImageHeight(10)
                .setGlobal(global)
                .setLocal(crop == null ? null : global)
                .setBoxes(crop == null ? List.of() : List.of(new CamBox(crop, 0.9f, 0, 0, 5, 5)))
                .setClipInferences(crop == null ? 1 : 2)
                .setScoredAt(Instant.EPOCH)
                .build();
    }

    @Test
    void shouldMeasureAgreementSelectionAndShiftOnTheSameImages() {
        // Given two checkpoints: one crops the class CLIP sees, one a class it does not
        List<Scores> good = List.of(image(0, 0), image(1, 1));
        List<Scores> bad = List.of(image(0, 3), image(1, 3));

        ShadowEvaluation evaluation = ShadowEvaluation.of(bad, good);

        // Then the bad one's strongest crops are of classes outside CLIP's top 3 only where that is so
        assertThat(evaluation.currentCropAgreement()).isEqualTo(1.0);
        assertThat(evaluation.candidateSelectionRate()).containsExactly(0f, 0f, 0f, 1f);
        assertThat(evaluation.selectionShift()).isEqualTo(1.0);
        assertThat(evaluation.classAgreement()).containsExactly(0.5f, 0.5f, 1f, 0f);
        assertThat(evaluation.selectingImages()).isEqualTo(2);
    }

    @Test
    void shouldRejectALowerHeldOutMapAndAJumpInSelection() {
        List<Scores> current = List.of(image(0, 0), image(1, 1));
        ShadowEvaluation same = ShadowEvaluation.of(current, current);

        PromotionRule.Verdict worse = PromotionRule.DEFAULTS.decide(checkpoint(2, 40.0), checkpoint(1, 45.0), same);
        PromotionRule.Verdict better = PromotionRule.DEFAULTS.decide(checkpoint(2, 44.0), checkpoint(1, 45.0), same);
        PromotionRule.Verdict jump = PromotionRule.DEFAULTS.decide(
                checkpoint(2, null),
                checkpoint(1, null),
                ShadowEvaluation.of(List.of(image(0, 2), image(1, 3)), current));

        assertThat(worse.promote()).isFalse();
        assertThat(worse.reason()).contains("held-out mAP 40.0 < 45.0 - 2.0");
        assertThat(better.promote()).as(better.reason()).isTrue();
        assertThat(jump.promote()).isFalse();
        assertThat(jump.reason()).contains("selection shift 1.00 > 0.60");
    }

    @Test
    void shouldRejectACandidateThatChoosesNoCrops() {
        List<Scores> none = List.of(image(0, null), image(1, null));

        PromotionRule.Verdict verdict =
                PromotionRule.DEFAULTS.decide(checkpoint(1, null), null, ShadowEvaluation.of(none, none));

        assertThat(verdict.promote()).isFalse();
        assertThat(verdict.reason()).contains("crops on 0.00 of the sample");
    }
}
