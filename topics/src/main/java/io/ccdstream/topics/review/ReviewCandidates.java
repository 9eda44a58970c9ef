package io.ccdstream.topics.review;

import io.ccdstream.method.active.ActiveSelection;
import io.ccdstream.schemas.Label;
import io.ccdstream.schemas.LabelStage;
import io.ccdstream.topics.FloatLists;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;

/** Which labelled images a person should review first, by an {@link ActiveSelection} over {@code ccd.labels}. */
public final class ReviewCandidates {

    private ReviewCandidates() {}

    /** Per class, the labels holding it at {@link ActiveSelection#THRESHOLD} or more. */
    public static long[] positives(Collection<Label> labels, int classes) {
        long[] counts = new long[classes];
        for (Label label : labels) {
            for (int c = 0; c < Math.min(classes, label.getScores().size()); c++) {
                if (label.getScores().get(c) >= ActiveSelection.THRESHOLD) {
                    counts[c]++;
                }
            }
        }
        return counts;
    }

    /** The usefulness of reviewing the image of {@code label}. */
    public static double usefulness(ActiveSelection selection, Label label, long[] positives) {
        return selection.usefulness(
                label.getImageId(),
                FloatLists.toArray(label.getScores()),
                FloatLists.toArray(label.getGlobal()),
                label.getLocal() == null ? null : FloatLists.toArray(label.getLocal()),
                positives);
    }

    /**
     * The {@code count} most useful images to review among {@code labels} (VERIFIED ones left out: a person
     * has answered them), most useful first; ties by image id.
     */
    public static List<Label> queue(Collection<Label> labels, ActiveSelection selection, int count) {
        if (labels.isEmpty()) {
            return List.of();
        }
        int classes = labels.iterator().next().getClassNames().size();
        long[] positives = positives(labels, classes);
        record Ranked(Label label, double usefulness) {}
        return labels.stream()
                .filter(l -> l.getStage() != LabelStage.VERIFIED)
                .map(l -> new Ranked(l, usefulness(selection, l, positives)))
                .sorted(Comparator.comparingDouble(Ranked::usefulness)
                        .reversed()
                        .thenComparing(r -> r.label().getImageId()))
                .limit(count)
                .map(Ranked::label)
                .toList();
    }
}
