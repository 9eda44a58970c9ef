package io.ccdstream.cli;

import io.ccdstream.data.ImageRecords;
import io.ccdstream.data.files.ImageFileRecords;
import io.ccdstream.data.files.ImageFileScanner;
import io.ccdstream.data.files.ImageIdScheme;
import io.ccdstream.data.files.IngestLedger;
import io.ccdstream.data.files.UrlManifest;
import io.ccdstream.data.synth.SynthClass;
import io.ccdstream.data.synth.SynthScenes;
import io.ccdstream.models.clip.ClipModelException;
import io.ccdstream.streams.CcdStreamsConfig;
import io.ccdstream.streams.pipeline.PipelineConfig;
import io.ccdstream.topics.CcdTopics;
import io.ccdstream.topics.ImageProducer;
import io.ccdstream.topics.RegistrySerdes;
import io.ccdstream.topics.ingest.FileIngest;
import io.ccdstream.topics.ingest.ImageIngest;
import io.ccdstream.topics.ingest.UrlIngest;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicBoolean;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** Sends images into the images topic of an existing cluster. */
@Command(
        name = "ingest",
        mixinStandardHelpOptions = true,
        description = "Send images into ccd.images.",
        subcommands = {IngestCommand.Synth.class, IngestCommand.Files.class, IngestCommand.Urls.class})
final class IngestCommand {

    /** What every ingest of your own images shares: the cluster, the class set, the ledger, the batches. */
    abstract static class OwnImages {

        @Option(names = "--work-dir", defaultValue = "ccd-work", description = "Where the bundled model is extracted.")
        Path workDir;

        @Option(
                names = "--ledger-dir",
                defaultValue = "ccd-data/ingest-ledger",
                paramLabel = "DIR",
                description = "Where the ledger of acknowledged images is kept, one file per class set: "
                        + "<DIR>/<class set id>.jsonl (default ${DEFAULT-VALUE}).")
        Path ledgerDir;

        @Option(
                names = "--batch-size",
                defaultValue = "64",
                description = "Images per confirmed batch (default ${DEFAULT-VALUE}).")
        int batchSize;

        @Mixin
        ClusterOptions cluster;

        @Mixin
        ConfigOptions configOptions;

        @Mixin
        ClassSetOptions classSet;

        /** Runs {@code ingest} with a producer, the ledger and a progress line, then prints its report. */
        int run(IngestRun ingest) throws ClipModelException, InterruptedException {
            CommandSettings given = configOptions.settings();
            cluster.addTo(given);
            classSet.addTo(given);
            PipelineConfig pipeline = given.pipeline();
            String classSetId = pipeline.classSet(pipeline.modelDir(workDir), SynthClass.names())
                    .id();
            CcdStreamsConfig config = given.streams();
            RegistrySerdes serdes = new RegistrySerdes(config.serdeSettings());
            ProgressLine progress = ProgressLine.onStandardOutput();
            try (ImageProducer producer =
                            new ImageProducer(config.bootstrapServers(), serdes, config.clientOverrides());
                    IngestLedger ledger = IngestLedger.open(ledgerDir, classSetId)) {
                System.out.printf(
                        "Class set %s; ledger %s (%d images acknowledged before)%n",
                        classSetId, ledger.file(), ledger.size());
                ImageIngest images =
                        new ImageIngest(producer::sendConfirmed, ledger, batchSize, 16L * 1024 * 1024, progress);
                return ingest.run(classSetId, images, progress);
            }
        }
    }

    /** An ingest given its class set and its confirmed sender. */
    @FunctionalInterface
    interface IngestRun {
        int run(String classSetId, ImageIngest images, ProgressLine progress) throws InterruptedException;
    }

    /** Prints what an ingest did; the exit code is 1 when any image was not sent. */
    static int printReport(ImageIngest.Report report, ProgressLine progress) {
        progress.finish();
        System.out.printf(
                "Sent %d of %d images, %d already sent before, %d failed%n",
                report.sent(),
                report.total(),
                report.skipped(),
                report.failures().size());
        report.failures().forEach(f -> System.out.printf("  failed: %s: %s%n", f.origin(), f.reason()));
        return report.succeeded() ? 0 : 1;
    }

    /** Files and folders. */
    @Command(
            name = "files",
            mixinStandardHelpOptions = true,
            description = {
                "Send the JPEG and PNG files under files and folders (recursively): up to 1 MiB inline, larger ones "
                        + "by claim check (a file: URI, so start the scorer with --allow-file-root covering them, or "
                        + "--uri-prefix when they are served over HTTP).",
                "Every send is confirmed; acknowledged images are recorded in a ledger, so running it again sends "
                        + "only new files and an interrupted ingest resumes. Exits 1 when any file was not sent."
            })
    static final class Files extends OwnImages implements Callable<Integer> {

        @Parameters(arity = "1..*", paramLabel = "PATH", description = "Files and folders to send.")
        List<Path> paths;

        @Option(
                names = "--include",
                paramLabel = "GLOB",
                description = "Only files matching the glob (relative to the folder given; without /, the file "
                        + "name); repeatable.")
        List<String> includes = new ArrayList<>();

        @Option(names = "--exclude", paramLabel = "GLOB", description = "Skip files matching the glob; repeatable.")
        List<String> excludes = new ArrayList<>();

        @Option(
                names = "--id",
                defaultValue = "path",
                paramLabel = "path|content",
                description = "Image id: the path relative to the folder given (path, default) or the SHA-256 of "
                        + "the bytes (content).")
        String id;

        @Option(
                names = "--uri-prefix",
                paramLabel = "URL",
                description = "Claim checks as URL + relative path (files served over HTTP) instead of file: URIs.")
        String uriPrefix;

        @Option(names = "--watch", description = "Keep watching the folders and send new files as they appear.")
        boolean watch;

        @Option(
                names = "--poll-interval",
                defaultValue = "PT2S",
                paramLabel = "DURATION",
                description = "How often --watch rescans; a file is sent once two scans saw the same size "
                        + "(default ${DEFAULT-VALUE}).")
        Duration pollInterval;

        @Override
        public Integer call() throws ClipModelException, InterruptedException {
            ImageIdScheme ids = switch (id.toLowerCase(Locale.ROOT)) {
                case "path" -> ImageIdScheme.PATH;
                case "content" -> ImageIdScheme.CONTENT;
                default -> throw new IllegalArgumentException("--id must be path or content, not " + id);
            };
            if (uriPrefix != null && !uriPrefix.matches("(?i)https?://.+")) {
                throw new IllegalArgumentException("--uri-prefix must be an http(s) URL, not " + uriPrefix);
            }
            ImageFileScanner scanner = new ImageFileScanner(includes, excludes);
            return run((classSetId, images, progress) -> {
                FileIngest files = new FileIngest(
                        scanner,
                        new ImageFileRecords(classSetId, ids, CcdTopics.MAX_INLINE_IMAGE_BYTES, uriPrefix),
                        images);
                if (!watch) {
                    ImageIngest.Report report = files.once(paths);
                    int exit = printReport(report, progress);
                    if (report.claimChecks() > 0 && uriPrefix == null) {
                        System.out.printf(
                                "%d images over %d bytes went by claim check as file: URIs: start the scorer and the "
                                        + "trainer with --allow-file-root covering %s%n",
                                report.claimChecks(), CcdTopics.MAX_INLINE_IMAGE_BYTES, paths);
                    }
                    return exit;
                }
                AtomicBoolean stop = new AtomicBoolean();
                CountDownLatch stopped = new CountDownLatch(1);
                Runtime.getRuntime().addShutdownHook(new Thread(() -> Shutdown.requestAndAwait(stop, stopped)));
                System.out.printf("Watching %s (every %s); Ctrl-C stops%n", paths, pollInterval);
                try {
                    files.watch(paths, pollInterval, stop::get, report -> {
                        System.out.printf(
                                "Sent %d new images, %d failed%n",
                                report.sent(), report.failures().size());
                        report.failures().forEach(f -> System.out.printf("  failed: %s: %s%n", f.origin(), f.reason()));
                    });
                } finally {
                    stopped.countDown();
                }
                return 0;
            });
        }
    }

    /** A list of URLs. */
    @Command(
            name = "urls",
            mixinStandardHelpOptions = true,
            description = {
                "Send images by claim check from a list: one URL per line (its id is the URL), or JSON lines "
                        + "{\"id\": ..., \"uri\": ..., \"attributes\": {...}}. The scorer fetches them: allow their "
                        + "hosts with --allow-host (file: URIs with --allow-file-root).",
                "A line that is not a URL is reported with its number and the others are sent; exits 1 when any "
                        + "line was refused or any image not sent."
            })
    static final class Urls extends OwnImages implements Callable<Integer> {

        @Parameters(index = "0", paramLabel = "FILE", description = "The list.")
        Path file;

        @Override
        public Integer call() throws ClipModelException, InterruptedException, IOException {
            UrlManifest manifest = UrlManifest.read(file);
            manifest.errors().forEach(e -> System.out.printf("  refused: %s %s%n", file, e));
            return run((classSetId, images, progress) -> {
                int exit = printReport(new UrlIngest(classSetId, images).send(manifest.entries()), progress);
                if (!manifest.errors().isEmpty()) {
                    System.out.printf(
                            "%d lines of %s refused (listed above)%n",
                            manifest.errors().size(), file);
                    return 1;
                }
                return exit;
            });
        }
    }

    /** SynthScenes images. */
    @Command(
            name = "synth",
            mixinStandardHelpOptions = true,
            description = "Send generated SynthScenes images (inline, with ground truth for evaluation).")
    static final class Synth implements Callable<Integer> {

        @Option(names = "--images", defaultValue = "100", description = "How many (default ${DEFAULT-VALUE}).")
        int images;

        @Option(
                names = "--first-index",
                defaultValue = "0",
                description = "Index of the first scene (default ${DEFAULT-VALUE}).")
        long firstIndex;

        @Option(names = "--work-dir", defaultValue = "ccd-work", description = "Where the bundled model is extracted.")
        Path workDir;

        @Mixin
        ClusterOptions cluster;

        @Mixin
        ConfigOptions configOptions;

        @Mixin
        ClassSetOptions classSet;

        @Mixin
        SynthOptions synth;

        @Override
        public Integer call() throws ClipModelException {
            CommandSettings given = configOptions.settings();
            cluster.addTo(given);
            classSet.addTo(given);
            PipelineConfig pipeline = given.pipeline();
            String classSetId = pipeline.classSet(pipeline.modelDir(workDir), SynthClass.names())
                    .id();
            CcdStreamsConfig config = given.streams();
            RegistrySerdes serdes = new RegistrySerdes(config.serdeSettings());
            SynthScenes scenes = synth.scenes();
            try (ImageProducer ingest =
                    new ImageProducer(config.bootstrapServers(), serdes, config.clientOverrides())) {
                for (long i = firstIndex; i < firstIndex + images; i++) {
                    ingest.send(ImageRecords.synth(scenes.generate(i), classSetId));
                }
                ingest.flush();
            }
            System.out.printf("Sent %d SynthScenes images (class set %s)%n", images, classSetId);
            return 0;
        }
    }
}
