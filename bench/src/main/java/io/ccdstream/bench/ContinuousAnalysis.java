package io.ccdstream.bench;

import io.ccdstream.bench.ContinuousObservations.Arrival;
import io.ccdstream.bench.ContinuousObservations.ScoresSeen;
import io.ccdstream.bench.ContinuousReport.CheckpointRow;
import io.ccdstream.bench.ContinuousReport.Correlation;
import io.ccdstream.bench.ContinuousReport.Interval;
import io.ccdstream.bench.ContinuousReport.Latency;
import io.ccdstream.bench.ContinuousReport.LatestRow;
import io.ccdstream.bench.ContinuousReport.Rescoring;
import io.ccdstream.bench.ContinuousReport.Summary;
import io.ccdstream.bench.ContinuousReport.VersionRow;
import io.ccdstream.bench.ContinuousReport.WindowRow;
import io.ccdstream.method.metrics.MeanAveragePrecision;
import io.ccdstream.schemas.Checkpoint;
import io.ccdstream.schemas.Label;
import io.ccdstream.topics.FloatLists;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import java.util.function.Function;
import org.apache.commons.math3.stat.correlation.SpearmansCorrelation;
import org.apache.commons.math3.stat.descriptive.rank.Percentile;

/**
 * Scores what a continuous run read back against the ground truth of the images it sent: labels by
 * checkpoint and by arrival window, re-scoring, the checkpoints and their signals, latency.
 */
final class ContinuousAnalysis {

    /** Fewest checkpoints with a signal for a rank correlation. */
    static final int MIN_CORRELATION_POINTS = 3;

    private final ContinuousObservations seen;
    private final Bootstrap bootstrap;
    private final List<Arrival> labelled;

    /**
     * @param seen      what the run sent and read back
     * @param bootstrap the intervals' resampling
     */
    ContinuousAnalysis(ContinuousObservations seen, Bootstrap bootstrap) {
        this.seen = seen;
        this.bootstrap = bootstrap;
        this.labelled = seen.arrivals().stream()
                .filter(a -> !seen.labels().getOrDefault(a.imageId(), List.of()).isEmpty())
                .toList();
    }

    /** Images sent that got at least one label. */
    int labelledImages() {
        return labelled.size();
    }

    /** One label of one image, with the image's ground truth. */
    private record Scored(boolean[] truth, Label label) {

        float[] finals() {
            return FloatLists.toArray(label.getScores());
        }

        float[] global() {
            return FloatLists.toArray(label.getGlobal());
        }
    }

    private Label first(Arrival arrival) {
        return seen.labels().get(arrival.imageId()).get(0);
    }

    private Label latest(Arrival arrival) {
        List<Label> labels = seen.labels().get(arrival.imageId());
        return labels.get(labels.size() - 1);
    }

    Summary summary() {
        if (labelled.isEmpty()) {
            return null;
        }
        List<float[]> firstFinal = new ArrayList<>();
        List<float[]> firstGlobal = new ArrayList<>();
        List<float[]> latestFinal = new ArrayList<>();
        List<float[]> latestGlobal = new ArrayList<>();
        List<boolean[]> truth = new ArrayList<>();
        for (Arrival arrival : labelled) {
            Scored first = new Scored(arrival.truth(), first(arrival));
            Scored latest = new Scored(arrival.truth(), latest(arrival));
            firstFinal.add(first.finals());
            firstGlobal.add(first.global());
            latestFinal.add(latest.finals());
            latestGlobal.add(latest.global());
            truth.add(arrival.truth());
        }
        Interval[] i = bootstrap.intervals(truth.size(), idx -> {
            double ff = map(firstFinal, truth, idx);
            double fg = map(firstGlobal, truth, idx);
            double lf = map(latestFinal, truth, idx);
            double lg = map(latestGlobal, truth, idx);
            return new double[] {ff, fg, lf, lg, (lf - ff) - (lg - fg)};
        });
        return new Summary(truth.size(), i[0], i[1], i[2], i[3], i[4]);
    }

    /** Per checkpoint version (null first), the last label it made of each image. */
    List<VersionRow> byVersion() {
        Map<Long, List<Scored>> groups = new TreeMap<>(Comparator.nullsFirst(Comparator.naturalOrder()));
        for (Arrival arrival : labelled) {
            Map<Long, Label> last = new HashMap<>();
            for (Label label : seen.labels().get(arrival.imageId())) {
                last.put(label.getCheckpointVersion(), label);
            }
            last.forEach((version, label) ->
                    groups.computeIfAbsent(version, v -> new ArrayList<>()).add(new Scored(arrival.truth(), label)));
        }
        List<VersionRow> rows = new ArrayList<>();
        groups.forEach((version, group) -> {
            Interval[] i = finalAndGlobal(group, true);
            rows.add(new VersionRow(version, group.size(), i[0], i[1], i[2]));
        });
        return rows;
    }

    /** The labelled images in {@code count} windows of equal send-index ranges. */
    List<WindowRow> windows(int count) {
        int sent = seen.arrivals().size();
        Map<String, Integer> index = new HashMap<>();
        for (int i = 0; i < sent; i++) {
            index.put(seen.arrivals().get(i).imageId(), i);
        }
        List<WindowRow> rows = new ArrayList<>();
        for (int w = 0; w < count; w++) {
            int from = (int) ((long) w * sent / count);
            int to = (int) ((long) (w + 1) * sent / count) - 1;
            List<Arrival> in = labelled.stream()
                    .filter(a -> index.get(a.imageId()) >= from && index.get(a.imageId()) <= to)
                    .toList();
            if (in.isEmpty()) {
                continue;
            }
            List<boolean[]> truth = in.stream().map(Arrival::truth).toList();
            List<float[]> firstFinal = in.stream()
                    .map(a -> FloatLists.toArray(first(a).getScores()))
                    .toList();
            List<float[]> latestFinal = in.stream()
                    .map(a -> FloatLists.toArray(latest(a).getScores()))
                    .toList();
            List<float[]> latestGlobal = in.stream()
                    .map(a -> FloatLists.toArray(latest(a).getGlobal()))
                    .toList();
            Interval[] i = bootstrap.intervals(in.size(), idx -> {
                double first = map(firstFinal, truth, idx);
                double last = map(latestFinal, truth, idx);
                return new double[] {first, last, map(latestGlobal, truth, idx), last - first};
            });
            rows.add(new WindowRow(w + 1, from, to, in.size(), i[0], i[1], i[2], i[3]));
        }
        return rows;
    }

    /** Images grouped by the checkpoint version of their latest label, against the first checkpoint's group. */
    List<LatestRow> latestByVersion() {
        Map<Long, List<Scored>> groups = new TreeMap<>(Comparator.nullsFirst(Comparator.naturalOrder()));
        for (Arrival arrival : labelled) {
            Label label = latest(arrival);
            groups.computeIfAbsent(label.getCheckpointVersion(), v -> new ArrayList<>())
                    .add(new Scored(arrival.truth(), label));
        }
        List<LatestRow> rows = new ArrayList<>();
        Interval[] firstCheckpoint = null;
        for (var group : groups.entrySet()) {
            Interval[] i = finalAndGlobal(group.getValue(), false);
            if (group.getKey() != null && firstCheckpoint == null) {
                firstCheckpoint = i;
            }
            Double finalVsFirst = null;
            Double globalVsFirst = null;
            Double net = null;
            if (group.getKey() != null) {
                finalVsFirst = i[0].value() - firstCheckpoint[0].value();
                globalVsFirst = i[1].value() - firstCheckpoint[1].value();
                net = finalVsFirst - globalVsFirst;
            }
            rows.add(new LatestRow(
                    group.getKey(), group.getValue().size(), i[0], i[1], finalVsFirst, globalVsFirst, net));
        }
        return rows;
    }

    private Interval[] finalAndGlobal(List<Scored> group, boolean withGain) {
        List<boolean[]> truth = group.stream().map(Scored::truth).toList();
        List<float[]> finals = group.stream().map(Scored::finals).toList();
        List<float[]> global = group.stream().map(Scored::global).toList();
        return bootstrap.intervals(group.size(), idx -> {
            double f = map(finals, truth, idx);
            double g = map(global, truth, idx);
            return withGain ? new double[] {f, g, f - g} : new double[] {f, g};
        });
    }

    Rescoring rescoring() {
        int withCheckpoint = 0;
        int rescored = 0;
        int backfilled = 0;
        for (Arrival arrival : labelled) {
            Long first = first(arrival).getCheckpointVersion();
            Long latest = latest(arrival).getCheckpointVersion();
            if (first != null) {
                withCheckpoint++;
                if (latest != null && latest > first) {
                    rescored++;
                }
            } else if (latest != null) {
                backfilled++;
            }
        }
        Map<List<Object>, Integer> perVersion = new HashMap<>();
        int rescoreRecords = 0;
        int betterCheckpoint = 0;
        for (ScoresSeen scores : seen.scores()) {
            perVersion.merge(List.of(scores.imageId(), versionKey(scores)), 1, Integer::sum);
            rescoreRecords += scores.rescore() ? 1 : 0;
            betterCheckpoint += scores.rescoredFrom() != null ? 1 : 0;
        }
        int duplicates = perVersion.values().stream().mapToInt(n -> n - 1).sum();
        return new Rescoring(
                withCheckpoint,
                rescored,
                withCheckpoint == 0 ? 0 : (double) rescored / withCheckpoint,
                backfilled,
                rescoreRecords,
                betterCheckpoint,
                duplicates);
    }

    private static Object versionKey(ScoresSeen scores) {
        return scores.checkpointVersion() == null ? "none" : scores.checkpointVersion();
    }

    /**
     * The checkpoints read, once per version, in version order.
     *
     * @param trueMap per version, the mAP of its classifier on held-out images (absent: not evaluated)
     */
    List<CheckpointRow> checkpoints(Map<Long, Double> trueMap) {
        Map<Long, Checkpoint> byVersion = new TreeMap<>();
        seen.checkpoints().forEach(c -> byVersion.putIfAbsent(c.getVersion(), c));
        Map<Long, Long> firstLabelMillis = new HashMap<>();
        seen.labels()
                .values()
                .forEach(labels -> labels.forEach(label -> {
                    if (label.getCheckpointVersion() != null) {
                        firstLabelMillis.merge(
                                label.getCheckpointVersion(),
                                label.getLabeledAt().toEpochMilli(),
                                Math::min);
                    }
                }));
        List<CheckpointRow> rows = new ArrayList<>();
        for (Checkpoint c : byVersion.values()) {
            Long first = firstLabelMillis.get(c.getVersion());
            rows.add(new CheckpointRow(
                    c.getVersion(),
                    c.getPhase().name(),
                    c.getCreatedAt().toString(),
                    c.getMetrics().getTrainLabelMap(),
                    c.getMetrics().getHeldOutMap(),
                    c.getMetrics().getHeldOutImages(),
                    trueMap.get(c.getVersion()),
                    first == null ? null : (first - c.getCreatedAt().toEpochMilli()) / 1000.0));
        }
        return rows;
    }

    /** Spearman rank correlation of the trainer's signals with the true mAP across {@code checkpoints}. */
    static Correlation correlation(List<CheckpointRow> checkpoints) {
        double[][] heldOut = pairs(checkpoints, CheckpointRow::heldOutMap);
        double[][] trainLabel = pairs(checkpoints, CheckpointRow::trainLabelMap);
        return new Correlation(spearman(heldOut), heldOut[0].length, spearman(trainLabel), trainLabel[0].length);
    }

    private static double[][] pairs(List<CheckpointRow> rows, Function<CheckpointRow, Double> signal) {
        List<CheckpointRow> both = rows.stream()
                .filter(r -> r.trueMap() != null && signal.apply(r) != null)
                .toList();
        return new double[][] {
            both.stream().mapToDouble(r -> signal.apply(r)).toArray(),
            both.stream().mapToDouble(CheckpointRow::trueMap).toArray()
        };
    }

    private static Double spearman(double[][] pairs) {
        if (pairs[0].length < MIN_CORRELATION_POINTS) {
            return null;
        }
        double rho = new SpearmansCorrelation().correlation(pairs[0], pairs[1]);
        return Double.isNaN(rho) ? null : rho;
    }

    /** First-label latency of every labelled image, and checkpoints reaching their first label. */
    Latency latency(List<CheckpointRow> checkpoints) {
        double[] firstLabel = labelled.stream()
                .mapToDouble(a -> (first(a).getLabeledAt().toEpochMilli() - a.sentAtMillis()) / 1000.0)
                .toArray();
        double[] reach = checkpoints.stream()
                .map(CheckpointRow::toFirstLabelSeconds)
                .filter(Objects::nonNull)
                .mapToDouble(Double::doubleValue)
                .toArray();
        Percentile percentile = new Percentile().withEstimationType(Percentile.EstimationType.R_7);
        return new Latency(
                firstLabel.length == 0 ? Double.NaN : percentile.evaluate(firstLabel, 50),
                firstLabel.length == 0 ? Double.NaN : percentile.evaluate(firstLabel, 90),
                firstLabel.length == 0 ? Double.NaN : percentile.evaluate(firstLabel, 99),
                reach.length == 0 ? null : percentile.evaluate(reach, 50),
                reach.length == 0 ? null : Arrays.stream(reach).max().orElseThrow());
    }

    /** mAP (%) of the rows {@code idx} of {@code scores} against the same rows of {@code truth}. */
    static double map(List<float[]> scores, List<boolean[]> truth, int[] idx) {
        float[][] s = new float[idx.length][];
        boolean[][] t = new boolean[idx.length][];
        for (int i = 0; i < idx.length; i++) {
            s[i] = scores.get(idx[i]);
            t[i] = truth.get(idx[i]);
        }
        return MeanAveragePrecision.of(s, t).map();
    }

    /** The settings given, as text, in key order. */
    static Map<String, String> text(Map<String, Object> settings) {
        Map<String, String> text = new LinkedHashMap<>();
        new TreeMap<>(settings).forEach((k, v) -> text.put(k, String.valueOf(v)));
        return text;
    }
}
