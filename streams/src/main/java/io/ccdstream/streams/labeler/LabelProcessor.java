package io.ccdstream.streams.labeler;

import io.ccdstream.schemas.Bias;
import io.ccdstream.schemas.ClassSetKey;
import io.ccdstream.schemas.ImageKey;
import io.ccdstream.schemas.Label;
import io.ccdstream.schemas.Scores;
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
 * the last recomputation, recomputes that class set's labels from the stored raw scores.
 */
final class LabelProcessor implements Processor<ImageKey, Scores, ImageKey, Label> {

    private final LabelMaker maker;
    private final LabelerSettings settings;
    private ProcessorContext<ImageKey, Label> context;
    private TimestampedKeyValueStore<ClassSetKey, Bias> biasTable;
    private KeyValueStore<ImageKey, Scores> scoresStore;
    private KeyValueStore<ImageKey, Label> labelStore;
    private KeyValueStore<ClassSetKey, Bias> relabelledAgainst;

    LabelProcessor(LabelMaker maker, LabelerSettings settings) {
        this.maker = maker;
        this.settings = settings;
    }

    @Override
    public void init(ProcessorContext<ImageKey, Label> context) {
        this.context = context;
        this.biasTable = context.getStateStore(LabelerTopology.BIAS_STORE);
        this.scoresStore = context.getStateStore(LabelerTopology.SCORES_STORE);
        this.labelStore = context.getStateStore(LabelerTopology.LABEL_STORE);
        this.relabelledAgainst = context.getStateStore(LabelerTopology.RELABEL_STORE);
        if (maker.debiases()) {
            context.schedule(settings.relabelInterval(), PunctuationType.WALL_CLOCK_TIME, this::relabelIfBiasMoved);
        }
    }

    @Override
    public void process(Record<ImageKey, Scores> record) {
        Bias bias = currentBias(record.value().getClassSetId());
        Label label = maker.label(record.key(), record.value(), bias, now());
        scoresStore.put(record.key(), record.value());
        labelStore.put(record.key(), label);
        context.forward(record.withValue(label));
    }

    private Bias currentBias(String classSetId) {
        ValueAndTimestamp<Bias> bias = biasTable.get(new ClassSetKey(classSetId));
        return bias == null ? null : bias.value();
    }

    /** Recomputes the labels of every class set whose bias moved enough; package-private for tests. */
    void relabelIfBiasMoved(long wallClockMs) {
        List<Bias> moved = new ArrayList<>();
        try (KeyValueIterator<ClassSetKey, ValueAndTimestamp<Bias>> all = biasTable.all()) {
            all.forEachRemaining(entry -> {
                Bias current = entry.value.value();
                if (movedSinceLastRelabel(entry.key, current)) {
                    moved.add(current);
                }
            });
        }
        for (Bias bias : moved) {
            relabel(bias, wallClockMs);
            relabelledAgainst.put(new ClassSetKey(bias.getClassSetId()), bias);
        }
    }

    private boolean movedSinceLastRelabel(ClassSetKey key, Bias current) {
        Bias previous = relabelledAgainst.get(key);
        float change = 0;
        for (int c = 0; c < current.getBias().size(); c++) {
            float before = previous == null || previous.getBias().size() != current.getBias().size()
                ? 1f : previous.getBias().get(c);
            change = Math.max(change, Math.abs(current.getBias().get(c) - before));
        }
        return change > settings.minBiasChange();
    }

    private void relabel(Bias bias, long wallClockMs) {
        List<KeyValue<ImageKey, Label>> stale = new ArrayList<>();
        try (KeyValueIterator<ImageKey, Label> labels = labelStore.all()) {
            labels.forEachRemaining(entry -> {
                Label label = entry.value;
                if (label.getClassSetId().equals(bias.getClassSetId())
                    && !Long.valueOf(bias.getVersion()).equals(label.getBiasVersion())) {
                    stale.add(entry);
                }
            });
        }
        for (KeyValue<ImageKey, Label> entry : stale) {
            Scores scores = scoresStore.get(entry.key);
            Label label = maker.label(entry.key, scores, bias, Instant.ofEpochMilli(wallClockMs));
            labelStore.put(entry.key, label);
            context.forward(new Record<>(entry.key, label, wallClockMs));
        }
    }

    private Instant now() {
        return Instant.ofEpochMilli(context.currentSystemTimeMs());
    }
}
