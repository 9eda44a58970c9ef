package io.ccdstream.cli;

import io.ccdstream.data.export.ClassSelectionRule;
import io.ccdstream.data.export.ExportFormat;
import io.ccdstream.data.export.ExportSet;
import io.ccdstream.data.files.IngestLedger;
import io.ccdstream.data.synth.SynthClass;
import io.ccdstream.method.active.ActiveSelection;
import io.ccdstream.method.active.SelectionStrategy;
import io.ccdstream.models.clip.ClassSet;
import io.ccdstream.models.clip.ClipModelException;
import io.ccdstream.schemas.Label;
import io.ccdstream.schemas.LabelStage;
import io.ccdstream.schemas.Scores;
import io.ccdstream.streams.CcdStreamsConfig;
import io.ccdstream.streams.pipeline.PipelineConfig;
import io.ccdstream.topics.RegistrySerdes;
import io.ccdstream.topics.export.LabelExport;
import io.ccdstream.topics.export.LabelReader;
import io.ccdstream.topics.review.ReviewCandidates;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicBoolean;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** Writes a class set's labels in the formats labelling and training tools read. */
@Command(
        name = "export",
        mixinStandardHelpOptions = true,
        description = {
            "Write a class set's labels from ccd.labels (read_committed, up to its end, then stop; --follow keeps "
                    + "the directory up to date) as COCO, YOLO, Pascal VOC, CSV, JSONL, Label Studio tasks or CVAT XML.",
            "A class is present when its score is at least --threshold (or the ontology's per-class threshold), "
                    + "at most --top-k per image; --calibrated sets each class's threshold so that the share of images "
                    + "marked present matches the class's estimated prevalence (mean score). Exits 1 when the class "
                    + "set has no labels of that stage, writing nothing."
        })
final class ExportCommand implements Callable<Integer> {

    @Option(
            names = "--format",
            split = ",",
            required = true,
            paramLabel = "FORMAT",
            description = "coco, yolo, voc, csv, jsonl, label-studio, cvat; several comma-separated.")
    List<String> formats;

    @Option(names = "--out", required = true, paramLabel = "DIR", description = "Directory to write into.")
    Path out;

    @Option(
            names = "--stage",
            defaultValue = "FINAL",
            paramLabel = "STAGE",
            description =
                    "FINAL (default: labels the scorer is done with, REFINED ones and those a classifier checkpoint"
                            + " examined without selecting a crop, and VERIFIED ones), REFINED (mixed with local views),"
                            + " INITIAL, VERIFIED (a person's verdicts) or ANY.")
    String stage;

    @Option(
            names = "--threshold",
            paramLabel = "SCORE",
            description = "Least score of a present class (default 0.5; with --top-k alone, none).")
    Double threshold;

    @Option(names = "--top-k", defaultValue = "0", paramLabel = "K", description = "At most K classes per image.")
    int topK;

    @Option(
            names = "--calibrated",
            description = "Per-class thresholds matching each class's estimated prevalence (no ground truth).")
    boolean calibrated;

    @Option(
            names = "--class-set-id",
            paramLabel = "ID",
            description = "Export this class set instead of the one the model, classes or ontology make.")
    String classSetId;

    @Option(
            names = "--ledger-dir",
            defaultValue = "ccd-data/ingest-ledger",
            paramLabel = "DIR",
            description = "The ingest ledger, for each image's file or URI (default ${DEFAULT-VALUE}); "
                    + "an image not in it is written under its id.")
    Path ledgerDir;

    @Option(names = "--follow", description = "Keep reading and rewrite the export when labels change.")
    boolean follow;

    @Option(
            names = "--poll-interval",
            defaultValue = "PT5S",
            paramLabel = "DURATION",
            description = "How often --follow looks for new labels (default ${DEFAULT-VALUE}).")
    Duration pollInterval;

    @Option(
            names = "--queue",
            description = "Export only the images a person should review first (the review queue): the --queue-size"
                    + " most useful unreviewed images by --strategy, of any stage unless --stage says otherwise.")
    boolean queue;

    @Option(
            names = "--queue-size",
            defaultValue = "100",
            paramLabel = "N",
            description = "Images of --queue (default ${DEFAULT-VALUE}).")
    int queueSize;

    @Option(
            names = "--strategy",
            defaultValue = "uncertainty",
            paramLabel = "STRATEGY",
            description = "How --queue ranks images: uncertainty, disagreement or random (default ${DEFAULT-VALUE}).")
    String strategy;

    @Option(names = "--work-dir", defaultValue = "ccd-work", description = "Where the bundled model is extracted.")
    Path workDir;

    @Spec
    CommandSpec spec;

    @Mixin
    ClusterOptions cluster;

    @Mixin
    ConfigOptions configOptions;

    @Mixin
    ClassSetOptions classSet;

    @Override
    public Integer call() throws ClipModelException, IOException, InterruptedException {
        List<ExportFormat> chosen =
                formats.stream().map(ExportFormat::of).distinct().toList();
        LabelExport.Stage wanted;
        try {
            wanted = LabelExport.Stage.valueOf(stage.toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(
                    "--stage must be FINAL, REFINED, INITIAL, VERIFIED or ANY, not " + stage);
        }
        ActiveSelection selection = new ActiveSelection(SelectionStrategy.of(strategy), 0);
        if (queue && queueSize < 1) {
            throw new IllegalArgumentException("--queue-size must be at least 1, got " + queueSize);
        }
        if (queue && follow) {
            throw new IllegalArgumentException("--queue writes the queue once; it does not go with --follow");
        }
        if (queue && !stageGiven()) {
            wanted = LabelExport.Stage.ANY;
        }
        if (calibrated && threshold != null) {
            throw new IllegalArgumentException("give --threshold or --calibrated, not both");
        }
        CommandSettings given = configOptions.settings();
        cluster.addTo(given);
        classSet.addTo(given);
        PipelineConfig pipeline = given.pipeline();
        ClassSet set = pipeline.classSet(pipeline.modelDir(workDir), SynthClass.names());
        String id = classSetId != null ? classSetId : set.id();
        List<Double> perClass = new ArrayList<>();
        for (int c = 0; c < set.size(); c++) {
            perClass.add(id.equals(set.id()) ? set.threshold(c) : null);
        }
        Map<String, String> origins = origins(id);
        CcdStreamsConfig config = given.streams();
        RegistrySerdes serdes = new RegistrySerdes(config.serdeSettings());
        try (LabelReader reader = new LabelReader(config.bootstrapServers(), serdes, config.clientOverrides(), id)) {
            try (Progress progress = Progress.onStandardOutput("Export", "records")) {
                reader.catchUp(Duration.ofMinutes(5), (read, total) -> progress.update(read, total, "read"));
            }
            Map<String, Label> labels = queue ? queued(reader.labels(), selection) : reader.labels();
            ExportSet export = export(labels, reader.scores(), id, wanted, perClass, origins);
            if (export.images().isEmpty()) {
                System.out.printf(
                        "No %s labels of class set %s in ccd.labels (%d labels of it at other stages, %d records of "
                                + "other class sets); nothing written%n",
                        wanted, id, reader.labels().size(), reader.otherLabels());
                return 1;
            }
            print(export, LabelExport.write(export, chosen, out));
            if (!follow) {
                return 0;
            }
            AtomicBoolean stop = new AtomicBoolean();
            CountDownLatch stopped = new CountDownLatch(1);
            Runtime.getRuntime().addShutdownHook(new Thread(() -> Shutdown.requestAndAwait(stop, stopped)));
            try {
                while (!stop.get()) {
                    Thread.sleep(pollInterval.toMillis());
                    if (reader.catchUp(Duration.ofMinutes(5)) > 0) {
                        ExportSet next = export(reader.labels(), reader.scores(), id, wanted, perClass, origins(id));
                        if (!next.images().isEmpty()) {
                            print(next, LabelExport.write(next, chosen, out));
                        }
                    }
                }
            } finally {
                stopped.countDown();
            }
            return 0;
        }
    }

    /** The review queue among {@code labels}, most useful first. */
    private Map<String, Label> queued(Map<String, Label> labels, ActiveSelection selection) {
        Map<String, Label> queued = new LinkedHashMap<>();
        for (Label label : ReviewCandidates.queue(labels.values(), selection, queueSize)) {
            queued.put(label.getImageId(), label);
        }
        System.out.printf(
                "Review queue: the %d most useful of %d unreviewed images by %s%n",
                queued.size(),
                labels.values().stream()
                        .filter(l -> l.getStage() != LabelStage.VERIFIED)
                        .count(),
                selection.strategy().id());
        return queued;
    }

    private boolean stageGiven() {
        return spec.commandLine().getParseResult().hasMatchedOption("--stage");
    }

    private ExportSet export(
            Map<String, Label> labels,
            Map<String, Scores> scores,
            String id,
            LabelExport.Stage wanted,
            List<Double> perClass,
            Map<String, String> origins) {
        return LabelExport.build(id, labels, scores, wanted, origins::get, rows -> {
            int classes = rows.isEmpty() ? perClass.size() : rows.get(0).length;
            if (calibrated) {
                return ClassSelectionRule.calibrated(rows, classes, topK);
            }
            List<Double> thresholds = new ArrayList<>(perClass);
            while (thresholds.size() < classes) {
                thresholds.add(null);
            }
            double fixed = threshold != null ? threshold : topK > 0 ? Double.NaN : 0.5;
            return ClassSelectionRule.fixed(thresholds.subList(0, classes), fixed, topK);
        });
    }

    private Map<String, String> origins(String id) {
        if (!Files.exists(ledgerDir.resolve(id + ".jsonl"))) {
            return Map.of();
        }
        try (IngestLedger ledger = IngestLedger.open(ledgerDir, id)) {
            return ledger.origins();
        }
    }

    private void print(ExportSet export, List<Path> written) {
        long positives =
                export.images().stream().mapToLong(i -> i.positives().size()).sum();
        System.out.printf(
                "Exported %d %s images of class set %s (%d positive labels; %s) to %s: %d files%n",
                export.images().size(),
                stage.toUpperCase(Locale.ROOT),
                export.classSetId(),
                positives,
                export.rule(),
                out,
                written.size());
    }
}
