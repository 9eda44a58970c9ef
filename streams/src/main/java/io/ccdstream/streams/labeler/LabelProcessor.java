package io.ccdstream.streams.labeler;

import io.ccdstream.schemas.Bias;
import io.ccdstream.schemas.ClassSetKey;
import io.ccdstream.schemas.ImageKey;
import io.ccdstream.schemas.Label;
import io.ccdstream.schemas.Review;
import io.ccdstream.schemas.Scores;
import io.ccdstream.streams.metrics.PipelineMetrics;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.processor.PunctuationType;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.TimestampedKeyValueStore;
import org.apache.kafka.streams.state.ValueAndTimestamp;

/**
 * Labels each image from its raw scores and the current bias of its class set (read from the
 * global bias table, so no repartition), keeps the raw scores and the label per image, and,
 * when a class set's bias has moved by more than {@link LabelerSettings#minBiasChange()} since
 * the last recomputation started, or a newer version has been the newest for
 * {@link LabelerSettings#relabelSettle()}, recomputes that class set's labels from the stored raw scores, a
 * bounded batch per check, resuming from a cursor kept in a changelogged store (so a restart goes
 * on where it stopped, and a large store never fills one transaction).
 */
final class LabelProcessor implements Processor<ImageKey, Scores, ImageKey, Label> {

    /** A cursor's image id meaning "from the start of the store" (no image id is empty). */
    private static final String FROM_START = "";
    /** Entries scanned per check at most, as a multiple of the batch, so that a check stays short. */
    private static final int SCAN_FACTOR = 20;

    private final LabelMaker maker;
    private final LabelerSettings settings;
    private final PipelineMetrics metrics;
    private ProcessorContext<ImageKey, Label> context;
    private TimestampedKeyValueStore<ClassSetKey, Bias> biasTable;
    private KeyValueStore<ImageKey, Scores> scoresStore;
    private KeyValueStore<ImageKey, Label> labelStore;
    private KeyValueStore<ClassSetKey, Bias> relabelledAgainst;
    private KeyValueStore<ClassSetKey, ImageKey> cursors;
    private KeyValueStore<ImageKey, Review> reviews;

    LabelProcessor(LabelMaker maker, LabelerSettings settings, PipelineMetrics metrics) {
        this.maker = maker;
        this.settings = settings;
        this.metrics = metrics;
    }

    @Override
    public void init(ProcessorContext<ImageKey, Label> context) {
        this.context = context;
        this.biasTable = context.getStateStore(LabelerTopology.BIAS_STORE);
        this.scoresStore = context.getStateStore(LabelerTopology.SCORES_STORE);
        this.labelStore = context.getStateStore(LabelerTopology.LABEL_STORE);
        this.relabelledAgainst = context.getStateStore(LabelerTopology.RELABEL_STORE);
        this.cursors = context.getStateStore(LabelerTopology.RELABEL_CURSOR_STORE);
        this.reviews = context.getStateStore(LabelerTopology.REVIEW_STORE);
        if (maker.debiases()) {
            context.schedule(settings.relabelInterval(), PunctuationType.WALL_CLOCK_TIME, this::relabelIfBiasMoved);
        }
    }

    @Override
    public void process(Record<ImageKey, Scores> record) {
        Bias bias = currentBias(record.value().getClassSetId());
        Label label = verified(record.key(), maker.label(record.key(), record.value(), bias, now()));
        scoresStore.put(record.key(), record.value());
        labelStore.put(record.key(), label);
        context.forward(record.withValue(label));
        metrics.labelled(label);
    }

    private Bias currentBias(String classSetId) {
        ValueAndTimestamp<Bias> bias = biasTable.get(new ClassSetKey(classSetId));
        return bias == null ? null : bias.value();
    }

    /**
     * Starts a recomputation for every class set whose bias moved enough since the last one started,
     * and goes on with those in progress, at most {@link LabelerSettings#relabelBatch()} labels each;
     * package-private for tests.
     */
    void relabelIfBiasMoved(long wallClockMs) {
        List<Bias> current = new ArrayList<>();
        try (KeyValueIterator<ClassSetKey, ValueAndTimestamp<Bias>> all = biasTable.all()) {
            all.forEachRemaining(entry -> current.add(entry.value.value()));
        }
        for (Bias bias : current) {
            ClassSetKey key = new ClassSetKey(bias.getClassSetId());
            if (movedSinceLastRelabel(key, bias) || settledSinceLastRelabel(key, bias, wallClockMs)) {
                relabelledAgainst.put(key, bias);
                cursors.put(key, new ImageKey(bias.getClassSetId(), FROM_START));
            }
            ImageKey cursor = cursors.get(key);
            if (cursor != null) {
                relabelFrom(key, cursor, bias, wallClockMs);
            }
        }
    }

    /**
     * Whether {@code current} is another version than the last recomputation's, no recomputation is
     * in progress, and it has been the newest for the settle time: a small last move is applied too,
     * so that labels converge to the newest bias rather than stay at the version of the last large
     * move.
     */
    private boolean settledSinceLastRelabel(ClassSetKey key, Bias current, long wallClockMs) {
        Bias previous = relabelledAgainst.get(key);
        return (previous == null || previous.getVersion() != current.getVersion())
                && cursors.get(key) == null
                && wallClockMs - current.getUpdatedAt().toEpochMilli()
                        >= settings.relabelSettle().toMillis();
    }

    private boolean movedSinceLastRelabel(ClassSetKey key, Bias current) {
        Bias previous = relabelledAgainst.get(key);
        float change = 0;
        for (int c = 0; c < current.getBias().size(); c++) {
            float before = previous == null
                            || previous.getBias().size() != current.getBias().size()
                    ? 1f
                    : previous.getBias().get(c);
            change = Math.max(change, Math.abs(current.getBias().get(c) - before));
        }
        return change > settings.minBiasChange();
    }

    /**
     * Recomputes with {@code bias} up to a batch of the class set's labels made with another bias
     * version, scanning the label store from {@code cursor}; keeps where it stopped, or forgets the
     * cursor once the store's end is reached.
     */
    private void relabelFrom(ClassSetKey key, ImageKey cursor, Bias bias, long wallClockMs) {
        List<KeyValue<ImageKey, Label>> stale = new ArrayList<>();
        int scanBudget = SCAN_FACTOR * settings.relabelBatch();
        ImageKey last = null;
        boolean exhausted;
        try (KeyValueIterator<ImageKey, Label> labels =
                cursor.getImageId().equals(FROM_START) ? labelStore.all() : labelStore.range(cursor, null)) {
            while (labels.hasNext() && stale.size() < settings.relabelBatch() && scanBudget-- > 0) {
                KeyValue<ImageKey, Label> entry = labels.next();
                last = entry.key;
                Label label = entry.value;
                if (!entry.key.equals(cursor)
                        && label.getClassSetId().equals(bias.getClassSetId())
                        && !Long.valueOf(bias.getVersion()).equals(label.getBiasVersion())) {
                    stale.add(entry);
                }
            }
            exhausted = !labels.hasNext();
        }
        for (KeyValue<ImageKey, Label> entry : stale) {
            Scores scores = scoresStore.get(entry.key);
            Label label = verified(entry.key, maker.label(entry.key, scores, bias, Instant.ofEpochMilli(wallClockMs)));
            labelStore.put(entry.key, label);
            context.forward(new Record<>(entry.key, label, wallClockMs));
            metrics.labelled(label);
        }
        if (exhausted) {
            cursors.delete(key);
        } else if (last != null) {
            cursors.put(key, last);
        }
    }

    /** {@code label} with the person's verdicts when the image was reviewed: a pseudo-label never replaces them. */
    private Label verified(ImageKey key, Label label) {
        Review review = reviews.get(key);
        return review == null ? label : LabelMaker.verify(label, review);
    }

    private Instant now() {
        return Instant.ofEpochMilli(context.currentSystemTimeMs());
    }
}
