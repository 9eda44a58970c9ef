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
import java.util.List;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueStore;

/**
 * Folds each image's raw global scores into its class set's bias window and publishes the
 * estimate, with the next version, each time a bucket fills once enough images were accepted.
 */
final class BiasProcessor implements Processor<ClassSetKey, Scores, ClassSetKey, Bias> {

    private final BiasSettings settings;
    private ProcessorContext<ClassSetKey, Bias> context;
    private KeyValueStore<ClassSetKey, BiasWindowState> store;

    BiasProcessor(BiasSettings settings) {
        this.settings = settings;
    }

    @Override
    public void init(ProcessorContext<ClassSetKey, Bias> context) {
        this.context = context;
        this.store = context.getStateStore(BiasTopology.WINDOW_STORE);
    }

    @Override
    public void process(Record<ClassSetKey, Scores> record) {
        float[] p = FloatLists.toArray(record.value().getGlobal());
        BiasWindowState state = store.get(record.key());
        BiasWindow window =
                state == null ? BiasWindow.empty(p.length, settings.windowSize(), settings.buckets()) : window(state);
        if (window.classCount() != p.length) {
            throw new PoisonRecordException(
                    "CLASS_COUNT_MISMATCH",
                    "image " + record.value().getImageId()
                            + " has " + p.length + " scores, class set "
                            + record.key().getClassSetId() + " has "
                            + window.classCount());
        }
        List<Long> starts = state == null
                ? new ArrayList<>(List.of(record.timestamp()))
                : new ArrayList<>(state.getBucketStarts().stream()
                        .map(Instant::toEpochMilli)
                        .toList());
        window = window.add(p, settings.entropyThreshold());
        long version = state == null ? 0 : state.getVersion();
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
        store.put(record.key(), state(record.key(), window, version, starts));
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
