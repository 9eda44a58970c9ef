package io.ccdstream.method.ccd;

import java.util.ArrayDeque;
import java.util.Objects;

/**
 * The classifier scores of the last images a scorer refined, for a {@link ClassSelection} that is
 * calibrated over a rolling window rather than over each batch ({@link
 * ClassSelection.Calibrated#window()}). Scores of another source (a newly loaded classifier
 * checkpoint) start the window afresh: an older classifier's scores say nothing about the new one's
 * distribution. Until the window is full it calibrates on what it holds, the current batch
 * included. Thread-safe; the window lives in memory only, so a restarted scorer starts it again.
 */
public final class SelectionWindow {

    private final int capacity;
    private final ArrayDeque<float[]> rows = new ArrayDeque<>();
    private Object source;

    /** @param capacity the most images the window holds, at least 1 */
    public SelectionWindow(int capacity) {
        if (capacity < 1) {
            throw new IllegalArgumentException("a selection window holds at least 1 image, got " + capacity);
        }
        this.capacity = capacity;
    }

    /**
     * Adds a batch and calibrates {@code selection} on the window.
     *
     * @param source    what produced the scores (the classifier); another one clears the window
     * @param selection how the threshold is found
     * @param batch     the batch's classifier scores, {@code [image][class]}
     * @return the window's threshold, with the mean count it selects on {@code batch}
     */
    public synchronized ClassSelection.Calibration resolve(Object source, ClassSelection selection, float[][] batch) {
        Objects.requireNonNull(source, "source");
        if (this.source != source) {
            rows.clear();
            this.source = source;
        }
        if (!rows.isEmpty() && batch.length > 0 && rows.peekFirst().length != batch[0].length) {
            throw new IllegalArgumentException(
                    "scores have " + batch[0].length + " classes, the window " + rows.peekFirst().length);
        }
        for (float[] row : batch) {
            rows.addLast(row.clone());
            if (rows.size() > capacity) {
                rows.removeFirst();
            }
        }
        ClassSelection.Calibration onWindow = selection.resolve(rows.toArray(float[][]::new));
        return new ClassSelection.Calibration(
                onWindow.threshold(), ClassSelection.meanCount(batch, onWindow.threshold()), onWindow.withinTarget());
    }

    /** Images the window holds now. */
    public synchronized int size() {
        return rows.size();
    }
}
