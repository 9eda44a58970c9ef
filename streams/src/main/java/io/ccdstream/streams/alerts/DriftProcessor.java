package io.ccdstream.streams.alerts;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.ccdstream.schemas.Alert;
import io.ccdstream.schemas.Bias;
import io.ccdstream.schemas.ClassSetKey;
import io.ccdstream.schemas.Scores;
import io.ccdstream.topics.FloatLists;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Instant;
import java.util.Locale;
import java.util.function.LongSupplier;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Folds a class set's first scores (or its bias versions) into the {@link DriftDetector} and writes an
 * {@link Alert} for each finding; the detector's state is a changelogged store.
 */
final class DriftProcessor<V extends SpecificRecord> implements Processor<ClassSetKey, V, ClassSetKey, Alert> {

    private static final Logger LOG = LoggerFactory.getLogger(DriftProcessor.class);
    private static final ObjectMapper JSON = new ObjectMapper();

    private final String storeName;
    private final DriftDetector detector;
    private final LongSupplier deadLetters;
    private final MeterRegistry registry;
    private ProcessorContext<ClassSetKey, Alert> context;
    private KeyValueStore<String, byte[]> store;

    DriftProcessor(String storeName, DriftSettings settings, LongSupplier deadLetters, MeterRegistry registry) {
        this.storeName = storeName;
        this.detector = new DriftDetector(settings);
        this.deadLetters = deadLetters;
        this.registry = registry;
    }

    @Override
    public void init(ProcessorContext<ClassSetKey, Alert> context) {
        this.context = context;
        this.store = context.getStateStore(storeName);
    }

    @Override
    public void process(Record<ClassSetKey, V> record) {
        String classSetId = record.key().getClassSetId();
        DriftDetector.Step step;
        if (record.value() instanceof Scores scores) {
            float[] global = FloatLists.toArray(scores.getGlobal());
            DriftDetector.State state = read(classSetId, global.length);
            step = detector.add(state, global, deadLetters.getAsLong());
        } else if (record.value() instanceof Bias bias) {
            double[] vector =
                    bias.getBias().stream().mapToDouble(Float::doubleValue).toArray();
            step = detector.addBias(read(classSetId, vector.length), vector);
        } else {
            return;
        }
        write(classSetId, step.state());
        for (DriftDetector.Finding finding : step.findings()) {
            Alert alert = Alert.newBuilder()
                    .setClassSetId(classSetId)
                    .setKind(finding.kind())
                    .setWindow(finding.window())
                    .setValue(finding.value())
                    .setBaseline(finding.baseline())
                    .setThreshold(finding.threshold())
                    .setMessage(String.format(
                            Locale.ROOT,
                            "%s of class set %s in window %d: %.3f against %.3f (threshold %.3f)",
                            finding.kind(),
                            classSetId,
                            finding.window(),
                            finding.value(),
                            finding.baseline(),
                            finding.threshold()))
                    .setRaisedAt(Instant.ofEpochMilli(record.timestamp()))
                    .build();
            LOG.warn("Drift alert: {}", alert.getMessage());
            Counter.builder(DriftTopology.ALERTS_METRIC)
                    .description("Drift alerts raised, by class set and kind")
                    .tag("class_set", classSetId)
                    .tag("kind", finding.kind().name().toLowerCase(Locale.ROOT))
                    .register(registry)
                    .increment();
            context.forward(new Record<>(record.key(), alert, record.timestamp()));
        }
    }

    private DriftDetector.State read(String classSetId, int classes) {
        byte[] bytes = store.get(classSetId);
        if (bytes == null) {
            return DriftDetector.State.empty(classes, deadLetters.getAsLong());
        }
        try {
            return JSON.readValue(bytes, DriftDetector.State.class);
        } catch (IOException e) {
            throw new UncheckedIOException("drift state of " + classSetId + " is unreadable", e);
        }
    }

    private void write(String classSetId, DriftDetector.State state) {
        try {
            store.put(classSetId, JSON.writeValueAsBytes(state));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
