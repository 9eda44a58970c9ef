package io.ccdstream.trainer;

import static io.ccdstream.trainer.TrainingSetTest.initial;
import static io.ccdstream.trainer.TrainingSetTest.refined;
import static org.assertj.core.api.Assertions.assertThat;

import io.ccdstream.schemas.CheckpointPhase;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class TrainingScheduleTest {

    private static final TrainingSchedule SCHEDULE =
            new TrainingSchedule(4, 2, 0.75, 10, 3, 3, 1.0, false, 1_000, 0.0, 1f, true);
    private static final Optional<TrainingSchedule.Latest> WARMED_UP =
            Optional.of(new TrainingSchedule.Latest(1, CheckpointPhase.WARMUP));
    private static final Optional<TrainingSchedule.Latest> REFINED =
            Optional.of(new TrainingSchedule.Latest(2, CheckpointPhase.REFINE));

    @Test
    void shouldWarmUpOnTheGlobalLabelsOnceEnoughImagesAreLabelled() {
        assertThat(SCHEDULE.next(Optional.empty(), examples(3, 0), 0, 3, 0, false, 0))
                .isEmpty();

        TrainingRound round = SCHEDULE.next(Optional.empty(), examples(4, 0), 0, 4, 0, false, 0)
                .orElseThrow();

        assertThat(round.phase()).isEqualTo(CheckpointPhase.WARMUP);
        assertThat(round.baseVersion()).isZero();
        assertThat(round.beta()).isZero();
        assertThat(round.maxEpochs()).isEqualTo(2);
        assertThat(round.earlyStopping()).isFalse();
        assertThat(round.globalTargets()).isTrue();
    }

    @Test
    void shouldRefineFromTheWarmUpCheckpointOnlyOnceEnoughLabelsAreRefinedWithIt() {
        assertThat(SCHEDULE.next(WARMED_UP, examples(2, 2), 0, 4, 0, false, 0))
                .as("2 of 4 refined")
                .isEmpty();

        TrainingRound round =
                SCHEDULE.next(WARMED_UP, examples(1, 3), 0, 4, 0, false, 0).orElseThrow();

        assertThat(round.phase()).isEqualTo(CheckpointPhase.REFINE);
        assertThat(round.baseVersion()).isEqualTo(1);
        assertThat(round.examples())
                .hasSize(3)
                .allSatisfy(e -> assertThat(e.label().refinedWith(1)).isTrue());
        assertThat(round.beta()).isEqualTo(1f);
        assertThat(round.earlyStopping()).isTrue();
        assertThat(round.globalTargets()).isFalse();
        assertThat(round.mustImprove()).isFalse();
    }

    @Test
    void shouldCountAnImageTheCheckpointExaminedWithoutACropAsRefinedWithIt() {
        // Given 1 label before any checkpoint, 2 REFINED by checkpoint 1, and 1 the checkpoint examined
        // without selecting a crop: the global view's INITIAL label, with checkpoint version 1
        List<TrainingExample> examples = new ArrayList<>(examples(1, 2));
        StoredLabel examined = new StoredLabel(
                io.ccdstream.schemas.LabelStage.INITIAL, 1L, new float[] {0.5f, 0.1f}, new float[] {0.5f, 0.1f});
        examples.add(new TrainingExample("img-x", "fx", 4, 4, examined));

        // When
        TrainingRound round =
                SCHEDULE.next(WARMED_UP, examples, 0, 4, 0, false, 0).orElseThrow();

        // Then 3 of 4 are the warm-up checkpoint's, enough for the refinement round, which trains on them
        assertThat(round.phase()).isEqualTo(CheckpointPhase.REFINE);
        assertThat(round.examples())
                .hasSize(3)
                .anySatisfy(e -> assertThat(e.imageId()).isEqualTo("img-x"));
        assertThat(initial(0.5f, 0.1f).refinedWith(1)).isFalse();
    }

    @Test
    void shouldTrainOnTheLabelsAsTheyAreWhenNotWaitingForCamLabels() {
        TrainingSchedule asTheyAre = new TrainingSchedule(4, 2, 0.75, 10, 3, 3, 1.0, false, 1_000, 0.0, 0f, false);

        TrainingRound warmup = asTheyAre
                .next(Optional.empty(), examples(4, 0), 0, 4, 0, false, 0)
                .orElseThrow();
        assertThat(warmup.phase()).isEqualTo(CheckpointPhase.WARMUP);
        assertThat(warmup.globalTargets()).isFalse();

        TrainingRound round =
                asTheyAre.next(WARMED_UP, examples(4, 0), 0, 4, 0, false, 0).orElseThrow();
        assertThat(round.phase()).isEqualTo(CheckpointPhase.REFINE);
        assertThat(round.examples()).hasSize(4);
        assertThat(round.globalTargets()).isFalse();
        assertThat(round.earlyStopping()).isTrue();
        assertThat(round.beta()).isZero();
        assertThat(asTheyAre.waitingFor(WARMED_UP, examples(4, 0), 0, 0, false)).contains("as they are");
    }

    @Test
    void shouldFineTuneOnNewLabelsPlusReplayedOnesWhenEnoughArrived() {
        List<TrainingExample> examples = examples(0, 10);
        assertThat(SCHEDULE.next(REFINED, examples, 0, 10, 8, false, 0))
                .as("2 new labels")
                .isEmpty();

        TrainingRound round =
                SCHEDULE.next(REFINED, examples, 0, 10, 7, false, 0).orElseThrow();

        assertThat(round.phase()).isEqualTo(CheckpointPhase.CONTINUOUS);
        assertThat(round.baseVersion()).isEqualTo(2);
        assertThat(round.examples()).hasSize(6).doesNotHaveDuplicates();
        assertThat(round.examples()).filteredOn(e -> e.labelSeq() > 7).hasSize(3);
        assertThat(round.mustImprove()).isTrue();
        assertThat(round.throughSeq()).isEqualTo(10);
    }

    @Test
    void shouldTrainOnTheLatestNewLabelsOnlyUpToTheCapAndReplayTheRest() {
        // Given 5 new labels (sequence 6-10) and a cap of 2 new labels per round, replaying 1 per new one
        TrainingSchedule capped = new TrainingSchedule(4, 2, 0.75, 10, 3, 3, 1.0, false, 2, 0.0, 1f, true);
        List<TrainingExample> examples = examples(0, 10);

        TrainingRound round = capped.next(REFINED, examples, 0, 10, 5, false, 0).orElseThrow();

        // Then the two latest new labels plus two replayed ones, which may be the uncapped new ones
        assertThat(round.examples()).hasSize(4).doesNotHaveDuplicates();
        assertThat(round.examples()).extracting(TrainingExample::labelSeq).contains(9L, 10L);
        assertThat(round.throughSeq()).isEqualTo(10);
    }

    @Test
    void shouldMoveOnToContinuousRoundsFromTheWarmupWhenTheRefinementWasNotPublished() {
        // Given the warm-up is still the latest checkpoint, but a refinement round ran and was not published
        List<TrainingExample> examples = examples(0, 10);

        // When enough new labels arrive
        TrainingRound round =
                SCHEDULE.next(WARMED_UP, examples, 0, 10, 7, true, 0).orElseThrow();

        // Then a continuous round fine-tunes the warm-up checkpoint, rather than refining again
        assertThat(round.phase()).isEqualTo(CheckpointPhase.CONTINUOUS);
        assertThat(round.baseVersion()).isEqualTo(1);
        assertThat(SCHEDULE.next(WARMED_UP, examples, 0, 10, 10, true, 0)).isEmpty();
        assertThat(SCHEDULE.waitingFor(WARMED_UP, examples, 0, 10, true)).contains("continuous round");
    }

    @Test
    void shouldCountTheHeldOutSliceTowardsTheWarmupButNotTrainOnIt() {
        // Given 3 trainable images and 1 in the slice, the warm-up needing 4 labelled images
        List<TrainingExample> trainable = examples(3, 0);

        TrainingRound round =
                SCHEDULE.next(Optional.empty(), trainable, 1, 3, 0, false, 0).orElseThrow();

        assertThat(round.phase()).isEqualTo(CheckpointPhase.WARMUP);
        assertThat(round.examples()).hasSize(3);
        assertThat(SCHEDULE.waitingFor(Optional.empty(), examples(2, 0), 1, 0, false))
                .startsWith("3/4 labelled images");
    }

    @Test
    void shouldReplayRareTopClassesMoreOftenWhenBalanced() {
        // Given 90 older images whose label's top class is the first, 10 whose top class is the second
        List<TrainingExample> older = new ArrayList<>();
        for (int i = 0; i < 100; i++) {
            older.add(new TrainingExample(
                    "old-" + i, "f", i + 1, i + 1, i < 90 ? refined(1, 0.9f, 0.1f) : refined(1, 0.1f, 0.9f)));
        }

        // When 20 are drawn, balanced or not
        List<TrainingExample> balanced = TrainingSchedule.balanced(older, 20, new java.util.Random(3));

        // Then the rare class's share rises from about a tenth towards a half
        long rare = balanced.stream().filter(e -> e.label().scores()[1] > 0.5f).count();
        assertThat(balanced).hasSize(20).doesNotHaveDuplicates();
        assertThat(rare).isGreaterThanOrEqualTo(6);
    }

    @Test
    void shouldDrawTheReplayOfAContinuousRoundBalancedWhenAsked() {
        TrainingSchedule balanced = new TrainingSchedule(4, 2, 0.75, 10, 3, 3, 1.0, true, 1_000, 0.0, 1f, true);
        List<TrainingExample> examples = examples(0, 10);

        TrainingRound round =
                balanced.next(REFINED, examples, 0, 10, 7, false, 0).orElseThrow();

        assertThat(round.examples()).hasSize(6).doesNotHaveDuplicates();
        assertThat(round.examples()).filteredOn(e -> e.labelSeq() > 7).hasSize(3);
    }

    /** {@code initial} INITIAL then {@code refined} REFINED (checkpoint 1) examples, label sequence 1, 2, ... */
    private static List<TrainingExample> examples(int initialCount, int refinedCount) {
        List<TrainingExample> examples = new ArrayList<>();
        for (int i = 0; i < initialCount + refinedCount; i++) {
            examples.add(new TrainingExample(
                    "img-" + i, "f" + i, i + 1, i + 1, i < initialCount ? initial(0.5f, 0.1f) : refined(1, 1f, 0f)));
        }
        return examples;
    }
}
