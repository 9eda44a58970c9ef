package io.ccdstream.bench;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import jdk.jfr.consumer.RecordedEvent;
import jdk.jfr.consumer.RecordedFrame;
import jdk.jfr.consumer.RecordedStackTrace;
import jdk.jfr.consumer.RecordedThread;
import jdk.jfr.consumer.RecordingFile;

/**
 * CPU samples of a JDK Flight Recorder recording, by service (from the thread name), by category
 * (from the stack) and by top method: where the time of a run went.
 *
 * <p>Java code is counted from {@code jdk.ExecutionSample}; native code from
 * {@code jdk.NativeMethodSample} only where the stack is in DJL (the model) or RocksDB, since a
 * thread waiting in a socket or a lock is sampled there too and costs no CPU. Native threads the
 * JVM does not know (PyTorch's intra-op pool) are not sampled at all: the model's share is a floor.
 */
public final class ProfileSummary {

    /** Categories, tested in this order against every frame from the top of the stack down. */
    private static final List<Map.Entry<String, List<String>>> CATEGORIES = List.of(
            Map.entry(
                    "preprocessing",
                    List.of(
                            "io.ccdstream.method.image.ClipPreprocessor",
                            "io.ccdstream.method.image.Resampler",
                            "io.ccdstream.models.clip.ImageTranslator")),
            Map.entry(
                    "model (DJL / native)",
                    List.of("ai.djl.", "io.ccdstream.models.clip.", "io.ccdstream.models.miniclip.")),
            Map.entry("classifier / CAM", List.of("io.ccdstream.models.classifier.")),
            Map.entry("state store (RocksDB)", List.of("org.rocksdb.", "org.apache.kafka.streams.state.")),
            Map.entry(
                    "Avro (serde)",
                    List.of("org.apache.avro.", "io.ccdstream.topics.Registry", "io.ccdstream.registry.")),
            Map.entry("PNG decode", List.of("javax.imageio.", "com.sun.imageio.", "java.util.zip.Inflater")),
            Map.entry("decode (other)", List.of("io.ccdstream.method.image.")),
            Map.entry(
                    "producer / network",
                    List.of(
                            "org.apache.kafka.clients.producer.",
                            "org.apache.kafka.common.network.",
                            "org.apache.kafka.common.record.",
                            "sun.nio.",
                            "org.apache.kafka.clients.NetworkClient")),
            Map.entry("consumer", List.of("org.apache.kafka.clients.consumer.")),
            Map.entry("broker", List.of("kafka.", "org.apache.kafka.storage.", "org.apache.kafka.server.")));

    private static final String OTHER = "other";
    private static final int TOP_METHODS = 5;

    private final Map<String, Map<String, Integer>> byServiceCategory = new LinkedHashMap<>();
    private final Map<String, Map<String, Integer>> byServiceMethod = new HashMap<>();
    private final Map<String, Integer> byService = new HashMap<>();
    private int total;

    private ProfileSummary() {}

    /** Reads the CPU samples of {@code recording}. */
    public static ProfileSummary read(Path recording) throws IOException {
        ProfileSummary summary = new ProfileSummary();
        try (RecordingFile file = new RecordingFile(recording)) {
            while (file.hasMoreEvents()) {
                RecordedEvent event = file.readEvent();
                String type = event.getEventType().getName();
                if (type.equals("jdk.ExecutionSample")) {
                    summary.add(event, false);
                } else if (type.equals("jdk.NativeMethodSample")) {
                    summary.add(event, true);
                }
            }
        }
        return summary;
    }

    private void add(RecordedEvent event, boolean nativeSample) {
        RecordedStackTrace stack = event.getStackTrace();
        if (stack == null || stack.getFrames().isEmpty()) {
            return;
        }
        String category = category(stack.getFrames());
        if (nativeSample && !category.startsWith("model") && !category.startsWith("state store")) {
            return;
        }
        RecordedThread thread = event.getThread(nativeSample ? "sampledThread" : "sampledThread");
        String service = service(thread == null ? null : thread.getJavaName());
        RecordedFrame top = stack.getFrames().get(0);
        String method =
                top.getMethod().getType().getName() + "." + top.getMethod().getName();
        total++;
        byService.merge(service, 1, Integer::sum);
        byServiceCategory.computeIfAbsent(service, s -> new HashMap<>()).merge(category, 1, Integer::sum);
        byServiceMethod.computeIfAbsent(service, s -> new HashMap<>()).merge(method, 1, Integer::sum);
    }

    /** The service a thread works for, from the names Kafka Streams, the trainer and the broker give their threads. */
    static String service(String thread) {
        if (thread == null) {
            return "unknown";
        }
        if (thread.startsWith("ccd-scorer-model-")) {
            return "scorer (model lane)";
        }
        String role = thread.contains("producer-network-thread")
                ? " (producer network)"
                : thread.contains("StreamThread")
                        ? " (stream thread)"
                        : thread.contains("GlobalStreamThread") ? " (global)" : "";
        for (String service : List.of("scorer", "labeler", "bias")) {
            if (thread.contains("-" + service + "-")) {
                return service + (role.isEmpty() ? " (other)" : role);
            }
        }
        if (thread.equals("ccd-trainer-prefetch")) {
            return "trainer (prefetch)";
        }
        if (thread.startsWith("ccd-trainer")) {
            return "trainer";
        }
        if (thread.startsWith("data-plane-kafka")
                || thread.startsWith("kafka-")
                || thread.contains("broker")
                || thread.startsWith("ReplicaFetcher")
                || thread.startsWith("quorum")
                || thread.contains("raft")) {
            return "broker";
        }
        if (thread.equals("bench-direct")) {
            return "bench (direct runs)";
        }
        if (thread.equals("main")) {
            return "bench (producer, consumer)";
        }
        return "other threads";
    }

    private static String category(List<RecordedFrame> frames) {
        for (RecordedFrame frame : frames) {
            String type = frame.getMethod().getType().getName();
            for (Map.Entry<String, List<String>> category : CATEGORIES) {
                for (String prefix : category.getValue()) {
                    if (type.startsWith(prefix)) {
                        return category.getKey();
                    }
                }
            }
        }
        return OTHER;
    }

    /** CPU samples counted. */
    public int samples() {
        return total;
    }

    /** Prints the samples by service and category, then each service's top methods, as Markdown tables. */
    public void print(PrintStream out) {
        List<String> categories =
                new ArrayList<>(CATEGORIES.stream().map(Map.Entry::getKey).toList());
        categories.add(OTHER);
        List<String> services = byService.entrySet().stream()
                .sorted(Map.Entry.<String, Integer>comparingByValue().reversed())
                .map(Map.Entry::getKey)
                .toList();
        out.println("| service (threads) | samples | share | " + String.join(" | ", categories) + " |");
        out.println("|---|---:|---:|" + "---:|".repeat(categories.size()));
        for (String service : services) {
            int samples = byService.get(service);
            StringBuilder row =
                    new StringBuilder("| " + service + " | " + samples + " | " + percent(samples, total) + " |");
            for (String category : categories) {
                int n = byServiceCategory.get(service).getOrDefault(category, 0);
                row.append(' ').append(n == 0 ? "-" : percent(n, samples)).append(" |");
            }
            out.println(row);
        }
        out.println();
        out.println("| service (threads) | top methods by CPU samples (share of the service's samples) |");
        out.println("|---|---|");
        for (String service : services) {
            int samples = byService.get(service);
            List<String> top = byServiceMethod.get(service).entrySet().stream()
                    .sorted(Map.Entry.<String, Integer>comparingByValue()
                            .reversed()
                            .thenComparing(Map.Entry.comparingByKey(Comparator.naturalOrder())))
                    .limit(TOP_METHODS)
                    .map(e -> shortName(e.getKey()) + " " + percent(e.getValue(), samples))
                    .toList();
            out.println("| " + service + " | " + String.join(", ", top) + " |");
        }
    }

    private static String shortName(String method) {
        int dot = method.lastIndexOf('.', method.lastIndexOf('.') - 1);
        return "`" + method.substring(dot + 1) + "`";
    }

    private static String percent(int part, int whole) {
        return String.format(Locale.ROOT, "%.0f%%", 100.0 * part / whole);
    }
}
