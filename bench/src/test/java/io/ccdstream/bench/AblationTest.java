package io.ccdstream.bench;

import static org.assertj.core.api.Assertions.assertThat;

import io.ccdstream.data.synth.SynthWorld;
import io.ccdstream.models.classifier.TrainingTargets;
import io.ccdstream.models.scoring.LocalViews;
import io.ccdstream.trainer.TrainerConfig;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class AblationTest {

    @Test
    void shouldAppendTheWeakLabelBaselinesAfterThePapersRows() {
        assertThat(Arrays.stream(Ablation.values()).map(Ablation::id))
                .containsExactly(
                        "global",
                        "update",
                        "update-debias",
                        "update-consistency",
                        "ccd",
                        "grid",
                        "assume-negative",
                        "label-smoothing");
    }

    @Test
    void shouldTrainTheBaselinesOnGlobalLabelsWithoutDebiasOrConsistency() {
        for (Ablation row : List.of(Ablation.ASSUME_NEGATIVE, Ablation.LABEL_SMOOTHING)) {
            assertThat(row.localViews()).as(row.id()).isEqualTo(LocalViews.NONE);
            assertThat(row.debias()).as(row.id()).isFalse();
            assertThat(row.beta()).as(row.id()).isZero();
        }
        assertThat(Ablation.ASSUME_NEGATIVE.targets()).isEqualTo(TrainingTargets.ASSUME_NEGATIVE);
        assertThat(Ablation.LABEL_SMOOTHING.targets()).isEqualTo(TrainingTargets.LABEL_SMOOTHING);
        assertThat(Ablation.CCD.targets()).isEqualTo(TrainingTargets.SOFT);
        assertThat(Ablation.of("Label-Smoothing")).isEqualTo(Ablation.LABEL_SMOOTHING);
    }

    @Test
    void shouldPassTheRowsLossToTheTrainerOverTheSharedSettings() {
        QualityRun run = new QualityRun(
                BenchImages.synthScenes(1, SynthWorld.SMALL_OBJECTS, 32, 4, 2),
                null,
                Map.of(TrainerConfig.LOSS, "label-smoothing", TrainerConfig.LABEL_SMOOTHING, 0.2),
                Duration.ofSeconds(1),
                System.out);

        Map<String, Object> negative = run.trainerSettings(Ablation.ASSUME_NEGATIVE, 4);
        Map<String, Object> ccd = run.trainerSettings(Ablation.CCD, 4);

        assertThat(negative).containsEntry(TrainerConfig.LOSS, "assume-negative");
        assertThat(negative).containsEntry(TrainerConfig.CONSISTENCY_BETA, 0.0);
        assertThat(ccd).containsEntry(TrainerConfig.LOSS, "soft");
        assertThat(ccd).containsEntry(TrainerConfig.LABEL_SMOOTHING, 0.2);
    }
}
