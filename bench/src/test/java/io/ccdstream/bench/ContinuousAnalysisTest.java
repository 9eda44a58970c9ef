package io.ccdstream.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.ccdstream.bench.ContinuousObservations.Arrival;
import io.ccdstream.bench.ContinuousObservations.ScoresSeen;
import io.ccdstream.bench.ContinuousReport.CheckpointRow;
import io.ccdstream.bench.ContinuousReport.Interval;
import io.ccdstream.bench.ContinuousReport.Rescoring;
import io.ccdstream.bench.ContinuousReport.VersionRow;
import io.ccdstream.schemas.Checkpoint;
import io.ccdstream.schemas.CheckpointMetrics;
import io.ccdstream.schemas.CheckpointPhase;
import io.ccdstream.schemas.Label;
import io.ccdstream.schemas.LabelStage;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ContinuousAnalysisTest {

    private static final long T0 = 1_700_000_000_000L;

    // two classes; image a shows class 0, b class 1, c both
    private final Arrival a = new Arrival("a", new boolean[] {true, false}, T0);
    private final Arrival b = new Arrival("b", new boolean[] {false, true}, T0 + 1000);
    private final Arrival c = new Arrival("c", new boolean[] {true, true}, T0 + 2000);
    private final Arrival lost = new Arrival("lost", new boolean[] {true, false}, T0 + 3000);

    @Test
    void shouldCountRescoredBackfilledAndDuplicateScoresPerImageAndVersion() {
        ContinuousObservations seen = observations(List.of(
                new ScoresSeen("a", 1L, false, null),
                new ScoresSeen("a", 3L, true, 1L),
                new ScoresSeen("b", null, false, null),
                new ScoresSeen("b", 1L, true, null),
                new ScoresSeen("c", 2L, false, null),
                new ScoresSeen("c", 2L, true, 2L)));

        Rescoring rescoring = new ContinuousAnalysis(seen, new Bootstrap(0, 1)).rescoring();

        // a moved from v1 to v3; c stayed on v2; b was first labelled before any checkpoint
        assertThat(rescoring.labelledWithCheckpoint()).isEqualTo(2);
        assertThat(rescoring.rescored()).isEqualTo(1);
        assertThat(rescoring.rescoredShare()).isEqualTo(0.5);
        assertThat(rescoring.backfilled()).isEqualTo(1);
        assertThat(rescoring.rescoreRecords()).isEqualTo(3);
        assertThat(rescoring.betterCheckpointRescores()).isEqualTo(2);
        // c scored twice with v2
        assertThat(rescoring.duplicates()).isEqualTo(1);
    }

    @Test
    void shouldGroupEachImagesLastLabelPerVersionAndScoreFinalAgainstGlobal() {
        ContinuousAnalysis analysis = new ContinuousAnalysis(observations(List.of()), new Bootstrap(0, 1));

        List<VersionRow> rows = analysis.byVersion();

        assertThat(rows).extracting(VersionRow::version).containsExactly(null, 1L, 2L, 3L);
        assertThat(rows).extracting(VersionRow::images).containsExactly(1, 2, 1, 1);
        // v1 labelled a and b with scores equal to the truth (AP 1 per class) and a global part that
        // ranks them the wrong way round (AP 0.5 per class)
        VersionRow v1 = rows.get(1);
        assertThat(v1.finalMap().value()).isCloseTo(100, within(1e-9));
        assertThat(v1.global().value()).isCloseTo(50, within(1e-9));
        assertThat(v1.cropGain().value()).isCloseTo(50, within(1e-9));
        assertThat(analysis.labelledImages()).isEqualTo(3);
    }

    @Test
    void shouldScoreFirstAndLatestLabelsOfTheSameImages() {
        ContinuousAnalysis analysis = new ContinuousAnalysis(observations(List.of()), new Bootstrap(50, 7));

        ContinuousReport.Summary summary = analysis.summary();

        assertThat(summary.images()).isEqualTo(3);
        assertThat(summary.latestFinal().value()).isCloseTo(100, within(1e-9));
        assertThat(summary.netGain().value())
                .isCloseTo(
                        (summary.latestFinal().value() - summary.firstFinal().value())
                                - (summary.latestGlobal().value()
                                        - summary.firstGlobal().value()),
                        within(1e-9));
        for (Interval interval : List.of(summary.firstFinal(), summary.latestGlobal())) {
            assertThat(interval.low()).isLessThanOrEqualTo(interval.high());
        }
        // windows split the four images sent; the lost one (never labelled) leaves its window with one image
        assertThat(analysis.windows(2))
                .extracting(ContinuousReport.WindowRow::images)
                .containsExactly(2, 1);
    }

    @Test
    void shouldRankSignalsAgainstTheTrueMapOnlyWithThreeCheckpointsCarryingThem() {
        List<CheckpointRow> rows = List.of(
                row(1, 10.0, 30.0, 20.0), row(2, 5.0, 40.0, 25.0), row(3, 50.0, null, 30.0), row(4, 60.0, 45.0, 40.0));

        ContinuousReport.Correlation correlation = ContinuousAnalysis.correlation(rows);

        assertThat(correlation.heldOut()).isCloseTo(1.0, within(1e-9));
        assertThat(correlation.heldOutPoints()).isEqualTo(3);
        assertThat(correlation.trainLabel()).isCloseTo(0.8, within(1e-9));
        assertThat(correlation.trainLabelPoints()).isEqualTo(4);
        assertThat(ContinuousAnalysis.correlation(rows.subList(0, 2)).heldOut()).isNull();
    }

    @Test
    void shouldTimeFirstLabelsFromTheImageRecordAndCheckpointsToTheirFirstLabel() {
        ContinuousAnalysis analysis = new ContinuousAnalysis(observations(List.of()), new Bootstrap(0, 1));

        List<CheckpointRow> checkpoints = analysis.checkpoints(Map.of(1L, 42.0));

        assertThat(checkpoints).extracting(CheckpointRow::version).containsExactly(1L, 3L);
        assertThat(checkpoints.get(0).trueMap()).isEqualTo(42.0);
        assertThat(checkpoints.get(1).trueMap()).isNull();
        // v1 created at T0 + 100, its first label (a's first) at T0 + 200
        assertThat(checkpoints.get(0).toFirstLabelSeconds()).isCloseTo(0.1, within(1e-9));
        // first labels 0.2, 0.3 and 0.4 s after their image records
        assertThat(analysis.latency(checkpoints).firstLabelMedian()).isCloseTo(0.3, within(1e-9));
    }

    @Test
    void shouldResampleReproduciblyAndKeepTheValueOfTheImagesAsTheyAre() {
        double[] values = {1, 2, 3, 4, 5, 6, 7, 8, 9, 10};
        Bootstrap bootstrap = new Bootstrap(200, 3);

        Interval[] first = bootstrap.intervals(values.length, idx -> new double[] {mean(values, idx)});
        Interval[] again = bootstrap.intervals(values.length, idx -> new double[] {mean(values, idx)});

        assertThat(first[0].value()).isEqualTo(5.5);
        assertThat(first[0].low()).isLessThan(5.5);
        assertThat(first[0].high()).isGreaterThan(5.5);
        assertThat(again).isEqualTo(first);
    }

    private static double mean(double[] values, int[] idx) {
        return Arrays.stream(idx).mapToDouble(i -> values[i]).average().orElseThrow();
    }

    private ContinuousObservations observations(List<ScoresSeen> scores) {
        return new ContinuousObservations(
                List.of(a, b, lost, c),
                Map.of(
                        "a",
                                List.of(
                                        label("a", 1L, T0 + 200, a.truth(), a.truth()),
                                        label("a", 3L, T0 + 5000, a.truth(), a.truth())),
                        "b",
                                List.of(
                                        label("b", null, T0 + 1300, b.truth(), b.truth()),
                                        label("b", 1L, T0 + 3000, b.truth(), a.truth())),
                        "c", List.of(label("c", 2L, T0 + 2400, c.truth(), c.truth()))),
                scores,
                List.of(checkpoint(1, T0 + 100), checkpoint(3, T0 + 4000), checkpoint(1, T0 + 100)));
    }

    /** A label whose final scores follow {@code finals} and global scores follow {@code global} (1 or 0). */
    private static Label label(String id, Long version, long at, boolean[] finals, boolean[] global) {
        return Label.newBuilder()
                .setImageId(id)
                .setClassSetId("set")
                .setClassNames(List.of("zero", "one"))
                .setStage(version == null ? LabelStage.INITIAL : LabelStage.REFINED)
                .setScores(floats(finals))
                .setGlobal(floats(global))
                .setAlpha(0.5f)
                .setCheckpointVersion(version)
                .setModelId("m")
                .setClipInferences(1)
                .setLabeledAt(Instant.ofEpochMilli(at))
                .build();
    }

    private static List<Float> floats(boolean[] values) {
        Float[] boxed = new Float[values.length];
        for (int i = 0; i < values.length; i++) {
            boxed[i] = values[i] ? 0.9f : 0.1f;
        }
        return List.of(boxed);
    }

    private static Checkpoint checkpoint(long version, long createdAt) {
        return Checkpoint.newBuilder()
                .setClassSetId("set")
                .setVersion(version)
                .setPhase(CheckpointPhase.CONTINUOUS)
                .setArchitecture("small-cnn")
                .setLocation("file:///nowhere")
                .setSha256("0")
                .setSizeBytes(1)
                .setCreatedAt(Instant.ofEpochMilli(createdAt))
                .setMetrics(CheckpointMetrics.newBuilder()
                        .setTrainLabelMap(10)
                        .setLoss(0)
                        .setImagesSeen(0)
                        .setEpochs(1)
                        .build())
                .build();
    }

    private static CheckpointRow row(long version, double trainLabel, Double heldOut, double truth) {
        return new CheckpointRow(version, "CONTINUOUS", "", trainLabel, heldOut, 0, truth, null);
    }
}
