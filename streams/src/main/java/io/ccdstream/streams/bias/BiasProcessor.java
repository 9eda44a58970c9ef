package io.ccdstream.streams.bias;

import io.ccdstream.method.ccd.BiasAggregate;
import io.ccdstream.method.ccd.BiasWindow;
import io.ccdstream.schemas.Bias;
import io.ccdstream.schemas.BiasBucket;
import io.ccdstream.schemas.BiasWindowState;
import io.ccdstream.schemas.ClassSetKey;
import io.ccdstream.schemas.Scores;
import io.ccdstream.topics.FloatLists;
import io.ccdstream.topics.PoisonRecordException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueStore;

/**
 * Folds each image's raw global scores into its class set's bias window and publishes the
 * estimate, with the next version, each time a bucket fills once enough images were accepted.
 */
final class BiasProcessor implements Processor<ClassSetKey, Scores, ClassSetKey, Bias> {

    /** A class set's window as last stored, decoded: the store is read once per task, not per record. */
    private record Decoded(BiasWindow window, long version, List<Long> starts) {}

    private final BiasSettings settings;
    private final Map<ClassSetKey, Decoded> decoded = new HashMap<>();
    private ProcessorContext<ClassSetKey, Bias> context;
    private KeyValueStore<ClassSetKey, BiasWindowState> store;

    BiasProcessor(BiasSettings settings) {
        this.settings = settings;
    }

    @Override
    public void init(ProcessorContext<ClassSetKey, Bias> context) {
        this.context = context;
        this.store = context.getStateStore(BiasTopology.WINDOW_STORE);
        // a revived task (exactly-once abort) re-initialises this instance: read its restored store again
        decoded.clear();
    }

    @Override
    public void close() {
        decoded.clear();
    }

    @Override
    public void process(Record<ClassSetKey, Scores> record) {
        float[] p = FloatLists.toArray(record.value().getGlobal());
        Decoded state = decoded.computeIfAbsent(record.key(), this::load);
        BiasWindow window =
                state == null ? BiasWindow.empty(p.length, settings.windowSize(), settings.buckets()) : state.window();
        if (window.classCount() != p.length) {
            throw new PoisonRecordException(
                    "CLASS_COUNT_MISMATCH",
                    "image " + record.value().getImageId()
                            + " has " + p.length + " scores, class set "
                            + record.key().getClassSetId() + " has "
                            + window.classCount());
        }
        List<Long> starts = state == null ? new ArrayList<>(List.of(record.timestamp())) : state.starts();
        window = window.add(p, settings.entropyThreshold());
        long version = state == null ? 0 : state.version();
        if (window.bucketJustCompleted()) {
            starts.add(record.timestamp());
            while (starts.size() > window.buckets().size()) {
                starts.remove(0);
            }
            BiasAggregate total = window.total();
            if (total.accepted() >= settings.minSamples()) {
                version++;
                context.forward(
                        record.withValue(bias(record.key(), total, version, starts.get(0), record.timestamp())));
            }
        }
        // the store (cached, flushed and changelogged at each commit) stays the state of record; the
        // decoded copy only saves reading it back
        store.put(record.key(), state(record.key(), window, version, starts));
        decoded.put(record.key(), new Decoded(window, version, starts));
    }

    /** The stored window of {@code key} decoded, or null (computeIfAbsent keeps no entry then). */
    private Decoded load(ClassSetKey key) {
        BiasWindowState state = store.get(key);
        if (state == null) {
            return null;
        }
        return new Decoded(
                window(state),
                state.getVersion(),
                new ArrayList<>(state.getBucketStarts().stream()
                        .map(Instant::toEpochMilli)
                        .toList()));
    }

    private Bias bias(ClassSetKey key, BiasAggregate total, long version, long windowStart, long windowEnd) {
        return Bias.newBuilder()
                .setClassSetId(key.getClassSetId())
                .setVersion(version)
                .setBias(FloatLists.toList(total.bias()))
                .setTopOneSum(Arrays.stream(total.topOneSum()).boxed().toList())
                .setTopOneCount(Arrays.stream(total.topOneCount()).boxed().toList())
                .setSamples(total.samples())
                .setEntropyThreshold(settings.entropyThreshold())
                .setWindowStart(Instant.ofEpochMilli(windowStart))
                .setWindowEnd(Instant.ofEpochMilli(windowEnd))
                .setUpdatedAt(Instant.ofEpochMilli(context.currentSystemTimeMs()))
                .build();
    }

    private static BiasWindow window(BiasWindowState state) {
        List<BiasAggregate> buckets = state.getBuckets().stream()
                .map(b -> new BiasAggregate(
                        b.getTopOneSum().stream()
                                .mapToDouble(Double::doubleValue)
                                .toArray(),
                        b.getTopOneCount().stream().mapToLong(Long::longValue).toArray(),
                        b.getSamples()))
                .toList();
        return new BiasWindow(state.getBucketSize(), state.getBucketCount(), buckets);
    }

    private static BiasWindowState state(ClassSetKey key, BiasWindow window, long version, List<Long> starts) {
        return BiasWindowState.newBuilder()
                .setClassSetId(key.getClassSetId())
                .setVersion(version)
                .setBucketSize(window.bucketSize())
                .setBucketCount(window.bucketCount())
                .setBuckets(window.buckets().stream()
                        .map(b -> BiasBucket.newBuilder()
                                .setTopOneSum(
                                        Arrays.stream(b.topOneSum()).boxed().toList())
                                .setTopOneCount(
                                        Arrays.stream(b.topOneCount()).boxed().toList())
                                .setSamples(b.samples())
                                .build())
                        .toList())
                .setBucketStarts(starts.stream().map(Instant::ofEpochMilli).toList())
                .build();
    }
}
