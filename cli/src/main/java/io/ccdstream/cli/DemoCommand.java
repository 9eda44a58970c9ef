package io.ccdstream.cli;

import io.ccdstream.data.ImageRecords;
import io.ccdstream.data.synth.SynthClass;
import io.ccdstream.data.synth.SynthScene;
import io.ccdstream.data.synth.SynthScenes;
import io.ccdstream.embedded.EmbeddedRuntime;
import io.ccdstream.models.scoring.LocalViews;
import io.ccdstream.schemas.Label;
import io.ccdstream.schemas.LabelStage;
import io.ccdstream.streams.CcdStreamsConfig;
import io.ccdstream.streams.dashboard.DashboardApi;
import io.ccdstream.streams.dashboard.DashboardFeed;
import io.ccdstream.streams.metrics.PipelineMetrics;
import io.ccdstream.streams.pipeline.Pipeline;
import io.ccdstream.streams.pipeline.PipelineSettings;
import io.ccdstream.streams.query.QueryServer;
import io.ccdstream.streams.shadow.RolloutMode;
import io.ccdstream.topics.CcdTopics;
import io.ccdstream.topics.ImageProducer;
import io.ccdstream.topics.LabelStages;
import io.ccdstream.topics.OutputWatcher;
import io.ccdstream.topics.RegistrySerdes;
import io.ccdstream.trainer.TrainerConfig;
import io.ccdstream.trainer.TrainerService;
import io.ccdstream.trainer.Trainers;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.IntStream;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * The embedded default end to end: broker, registry and services in this process, SynthScenes
 * images in, labels out.
 */
@Command(
        name = "demo",
        mixinStandardHelpOptions = true,
        description = {
            "Run the whole pipeline in this process on the embedded default: in-process Kafka "
                    + "broker and schema registry, the bundled CLIP model, SynthScenes images.",
            "With --images N it stops by itself once every image is labelled (or dead-lettered) and "
                    + "prints what it produced; without, it streams images until interrupted."
        })
final class DemoCommand implements Callable<Integer>, Logging.Home {

    @Option(
            names = "--data-dir",
            defaultValue = "ccd-data",
            description = "Where broker, registry and state live across runs (default ${DEFAULT-VALUE}).")
    Path dataDir;

    @Option(
            names = "--images",
            defaultValue = "0",
            description =
                    "Images to send, then stop when all are labelled; 0 streams until interrupted (default ${DEFAULT-VALUE}).")
    int images;

    @Option(
            names = "--corrupt-images",
            defaultValue = "1",
            description = "Corrupt images mixed in, to show the dead-letter topic (default ${DEFAULT-VALUE}).")
    int corruptImages;

    @Option(
            names = "--rate",
            defaultValue = "4",
            description = "Images per second when streaming (default ${DEFAULT-VALUE}).")
    double rate;

    @Option(
            names = "--timeout",
            defaultValue = "PT10M",
            description = "Longest wait for the labels of a bounded run (default ${DEFAULT-VALUE}).")
    Duration timeout;

    @Option(names = "--kafka-port", defaultValue = "0", description = "Broker port; 0 picks a free one.")
    int kafkaPort;

    @Option(names = "--registry-port", defaultValue = "0", description = "Schema registry port; 0 picks a free one.")
    int registryPort;

    @Option(names = "--query-port", defaultValue = "0", description = "REST query API port; 0 picks a free one.")
    int queryPort;

    @Option(
            names = "--stay",
            description = "After a bounded run, keep the dashboard and the queries up until interrupted (Ctrl-C).")
    boolean stay;

    @Option(names = "--no-trainer", description = "Run without the trainer: labels stay at the global-view stage.")
    boolean noTrainer;

    @Mixin
    ConfigOptions configOptions;

    @Mixin
    ClassSetOptions classSet;

    @Mixin
    LabellingOptions labelling;

    @Mixin
    ClaimCheckOptions claimChecks;

    @Mixin
    SynthOptions synth;

    private final PrintStream out = System.out;
    private TrainerService trainer;
    private String classSetId;
    private LocalViews localViews;
    private final CountDownLatch stopped = new CountDownLatch(1);

    @Override
    public Path logDirectory() {
        return dataDir.resolve("logs");
    }

    @Override
    public Integer call() throws Exception {
        try {
            return run();
        } finally {
            stopped.countDown();
        }
    }

    private int run() throws Exception {
        CommandSettings given = configOptions.settings();
        classSet.addTo(given);
        labelling.addTo(given);
        claimChecks.addTo(given);
        PipelineSettings settings = given.pipeline().settings(dataDir, SynthClass.names());
        long started = System.nanoTime();
        try (EmbeddedRuntime runtime = EmbeddedRuntime.start(dataDir, kafkaPort, registryPort, 4)) {
            out.printf("Kafka broker     %s (data in %s)%n", runtime.bootstrapServers(), dataDir.toAbsolutePath());
            out.printf("Schema registry  %s%n", runtime.registryUrl());
            out.printf("Topics           %s%n", runtime.topics());
            out.printf("CLIP model       %s (%s)%n", settings.classSet().modelId(), settings.modelDir());
            out.printf(
                    "Class set        %s: %d classes%n",
                    settings.classSet().id(), settings.classSet().size());
            CcdStreamsConfig config =
                    given.streams(runtime.bootstrapServers(), runtime.registryUrl(), dataDir.resolve("streams"));
            RegistrySerdes serdes = new RegistrySerdes(config.serdeSettings());
            try (Pipeline pipeline = Pipeline.start(
                            config,
                            settings,
                            List.of(Pipeline.Service.values()),
                            given.pipeline().shadow(),
                            given.pipeline().drift());
                    OutputWatcher watcher =
                            new OutputWatcher(runtime.bootstrapServers(), serdes, config.deadLetterTopic());
                    ImageProducer ingest = new ImageProducer(runtime.bootstrapServers(), serdes);
                    DashboardFeed dashboard = DashboardFeed.of(
                            config,
                            settings.classSet().id(),
                            settings.classSet().classNames(),
                            () -> pipeline.checkpoints()
                                    .current(settings.classSet().id()));
                    QueryServer queries = QueryServer.start(
                            "127.0.0.1",
                            queryPort,
                            pipeline.streams(Pipeline.Service.labeler).orElseThrow(),
                            pipeline.checkpoints()::current,
                            pipeline.metrics(),
                            dashboard.state());
                    TrainerService trainer = noTrainer
                            ? null
                            : Trainers.start(
                                    runtime.bootstrapServers(),
                                    runtime.registryUrl(),
                                    settings.classSet(),
                                    settings.claimChecks(),
                                    settings.refinesWithCam(),
                                    dataDir.resolve("trainer"),
                                    trainerSettings(given.trainerOverrides(settings)),
                                    pipeline.metrics())) {
                out.printf(
                        "Services         scorer, bias, labeler, %salerts running (exactly_once_v2, dead letters to"
                                + " %s; rollout %s)%n",
                        given.pipeline().shadow().mode() == RolloutMode.shadow ? "shadow, " : "",
                        config.deadLetterTopic(),
                        given.pipeline().shadow().mode());
                out.printf(
                        "Queries          %s/labels/%s/{imageId}, %s/bias/%s, %s/checkpoints/%s%n",
                        queries.url(),
                        settings.classSet().id(),
                        queries.url(),
                        settings.classSet().id(),
                        queries.url(),
                        settings.classSet().id());
                out.printf("Metrics          %s/metrics (Prometheus)%n", queries.url());
                out.printf("Dashboard        %s%s%n", queries.url(), DashboardApi.PAGE);
                out.printf("Review page      %s%sreview.html%n", queries.url(), DashboardApi.PAGE);
                out.printf(
                        "Trainer          %s%n%n",
                        trainer == null
                                ? "off (--no-trainer)"
                                : "checkpoints served at "
                                        + trainer.checkpointBaseUrl()
                                                .map(Object::toString)
                                                .orElse("(file store)"));
                this.trainer = trainer;
                this.classSetId = settings.classSet().id();
                this.localViews = settings.refinement().localViews();
                if (images == 0) {
                    return streaming(pipeline, watcher, ingest);
                }
                int exit = bounded(pipeline, watcher, ingest, started);
                if (stay) {
                    stayUp(queries);
                }
                return exit;
            }
        }
    }

    private int bounded(Pipeline pipeline, OutputWatcher watcher, ImageProducer ingest, long started) {
        SynthScenes scenes = synth.scenes();
        Map<String, SynthScene> sent = new LinkedHashMap<>();
        for (int i = 0; i < images; i++) {
            SynthScene scene = scenes.generate(i);
            ingest.send(ImageRecords.synth(scene, classSetId));
            sent.put(scene.id(), scene);
        }
        for (int i = 0; i < corruptImages; i++) {
            ingest.send(ImageRecords.inline(
                    classSetId,
                    "corrupt-" + synth.seed + "-" + i,
                    "this is not a PNG".getBytes(StandardCharsets.UTF_8),
                    "image/png",
                    null,
                    ImageRecords.SYNTHSCENES));
        }
        ingest.flush();
        long sentAt = System.nanoTime();
        out.printf(
                "Sent %d SynthScenes images and %d corrupt ones to %s%n",
                images, corruptImages, CcdTopics.IMAGES.name());
        long deadline = sentAt + timeout.toNanos();
        int reported = -1;
        long lastReport = 0;
        while (System.nanoTime() < deadline
                && pipeline.isAlive()
                && (trainer == null || trainer.isAlive())
                && (finished(watcher, sent) < images || watcher.deadLetterCount() < corruptImages)) {
            watcher.poll(Duration.ofMillis(500));
            int done = labelled(watcher, sent);
            if (done / 10 != reported / 10 || System.nanoTime() - lastReport > 10_000_000_000L) {
                out.printf(
                        "  labels %d/%d (final %d, refined %d), dead letters %d/%d%s%n",
                        done,
                        images,
                        examined(watcher, sent),
                        refined(watcher, sent),
                        watcher.deadLetterCount(),
                        corruptImages,
                        trainer == null ? "" : "; trainer " + trainer.status().summary());
                reported = done;
                lastReport = System.nanoTime();
            }
        }
        return summary(pipeline, watcher, sent, started, sentAt);
    }

    private static int labelled(OutputWatcher watcher, Map<String, SynthScene> sent) {
        return (int)
                watcher.labels().keySet().stream().filter(sent::containsKey).count();
    }

    /** Labels mixed with local views (REFINED). */
    private static int refined(OutputWatcher watcher, Map<String, SynthScene> sent) {
        return (int) watcher.labels().entrySet().stream()
                .filter(e -> sent.containsKey(e.getKey()) && e.getValue().getStage() == LabelStage.REFINED)
                .count();
    }

    /** Labels the scorer is done with: REFINED, or examined by a checkpoint that selected no crop. */
    private static int examined(OutputWatcher watcher, Map<String, SynthScene> sent) {
        return (int) watcher.labels().entrySet().stream()
                .filter(e -> sent.containsKey(e.getKey()) && LabelStages.isFinal(e.getValue()))
                .count();
    }

    /** Images done: labelled, and examined by the classifier too when the trainer runs and local views refine labels. */
    private int finished(OutputWatcher watcher, Map<String, SynthScene> sent) {
        return trainer == null || localViews == LocalViews.NONE ? labelled(watcher, sent) : examined(watcher, sent);
    }

    /** The demo's trainer settings, then {@code overrides} (the settings given to the command). */
    private Map<String, Object> trainerSettings(Map<String, Object> overrides) {
        return trainerSettings(synth.imageSize, images, overrides);
    }

    /**
     * The trainer settings of a demo on images of side {@code imageSize}, then {@code overrides}.
     *
     * @param images images of a bounded run, 0 when streaming
     */
    static Map<String, Object> trainerSettings(int imageSize, int images, Map<String, Object> overrides) {
        Map<String, Object> config = new HashMap<>();
        config.put(TrainerConfig.HTTP_PORT, 0);
        config.put(TrainerConfig.INPUT_SIZE, imageSize);
        if (images > 0) {
            // a bounded run warms up on what it has, so that it ends refined
            config.put(TrainerConfig.WARMUP_MIN_IMAGES, Math.min(images, 100));
        }
        config.putAll(overrides);
        return config;
    }

    private int summary(
            Pipeline pipeline, OutputWatcher watcher, Map<String, SynthScene> sent, long started, long sentAt) {
        double seconds = (System.nanoTime() - sentAt) / 1e9;
        int done = labelled(watcher, sent);
        out.printf(
                "%nLabelled %d of %d images (%d final, %d of them refined with local views) in %.1f s into %s, Avro"
                        + " via the registry%n",
                done, images, examined(watcher, sent), refined(watcher, sent), seconds, CcdTopics.LABELS.name());
        if (trainer != null) {
            out.printf("Trainer: %s%n", trainer.status().summary());
        }
        var rescored = pipeline.metrics().find(PipelineMetrics.IMAGES_RESCORED).counter();
        if (rescored != null && rescored.count() > 0) {
            out.printf("Re-scored with a clearly better checkpoint: %.0f images%n", rescored.count());
        }
        out.printf("Dead letters: %d %s%n", watcher.deadLetterCount(), watcher.deadLetterReasons());
        watcher.deadLetterMessages().forEach((where, why) -> out.printf("  %s  %s%n", where, why));
        out.println("\nSample labels (top 3 classes; ground truth in brackets):");
        sent.values().stream().limit(8).forEach(scene -> {
            Label label = watcher.labels().get(scene.id());
            out.printf("  %-20s %-40s %s%n", scene.id(), top3(label), scene.labels());
        });
        out.printf("%nTotal run time %.1f s%n", (System.nanoTime() - started) / 1e9);
        if (pipeline.failure().isPresent()) {
            out.println("A service failed: " + pipeline.failure().get());
            return 1;
        }
        if (trainer != null && trainer.failure().isPresent()) {
            out.println("The trainer failed: " + trainer.failure().get());
            return 1;
        }
        if (finished(watcher, sent) < images || watcher.deadLetterCount() < corruptImages) {
            out.printf(
                    "Timed out after %s waiting for %d %s labels%n",
                    timeout, images - finished(watcher, sent), trainer == null ? "" : "final");
            return 1;
        }
        return 0;
    }

    private static String top3(Label label) {
        if (label == null) {
            return "(no label)";
        }
        List<Integer> order = new ArrayList<>(
                IntStream.range(0, label.getScores().size()).boxed().toList());
        order.sort(Comparator.comparing((Integer c) -> label.getScores().get(c)).reversed());
        StringBuilder text = new StringBuilder(label.getStage().name()).append(' ');
        for (int c : order.subList(0, Math.min(3, order.size()))) {
            text.append(String.format(
                    "%s %.2f ", label.getClassNames().get(c), label.getScores().get(c)));
        }
        return text.toString().strip();
    }

    /** Keeps serving until a shutdown (Ctrl-C) or an interrupt. */
    private void stayUp(QueryServer queries) {
        AtomicBoolean stop = new AtomicBoolean();
        Runtime.getRuntime().addShutdownHook(new Thread(() -> Shutdown.requestAndAwait(stop, stopped)));
        out.printf("%nThe dashboard stays up at %s%s; Ctrl-C stops%n", queries.url(), DashboardApi.PAGE);
        try {
            while (!stop.get()) {
                Thread.sleep(200);
            }
        } catch (InterruptedException e) {
            // interrupted: stop serving, as on Ctrl-C
        }
    }

    private int streaming(Pipeline pipeline, OutputWatcher watcher, ImageProducer ingest) {
        SynthScenes scenes = synth.scenes();
        AtomicBoolean stop = new AtomicBoolean();
        Runtime.getRuntime().addShutdownHook(new Thread(() -> Shutdown.requestAndAwait(stop, stopped)));
        out.printf("Streaming %.1f images/s; Ctrl-C stops%n", rate);
        long index = 0;
        long next = System.nanoTime();
        long lastReport = System.nanoTime();
        while (!stop.get() && pipeline.isAlive()) {
            if (System.nanoTime() >= next) {
                ingest.send(ImageRecords.synth(scenes.generate(index++), classSetId));
                next += (long) (1e9 / rate);
            }
            watcher.poll(Duration.ofMillis(100));
            if (System.nanoTime() - lastReport > 10_000_000_000L) {
                out.printf(
                        "  sent %d, labelled %d, dead letters %d%n",
                        index, watcher.labels().size(), watcher.deadLetterCount());
                lastReport = System.nanoTime();
            }
        }
        out.printf(
                "Stopping after %d images, %d labels%n", index, watcher.labels().size());
        return pipeline.failure().isPresent() ? 1 : 0;
    }
}
