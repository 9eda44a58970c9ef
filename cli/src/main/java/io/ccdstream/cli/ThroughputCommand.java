package io.ccdstream.cli;

import io.ccdstream.bench.ThroughputBench;
import io.ccdstream.models.scoring.LocalViews;
import io.ccdstream.streams.pipeline.PipelineConfig;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code ccd bench throughput}: the options of {@link ThroughputBench}, which measures scorer, labeler
 * and trainer through Kafka and called directly, side by side in one run.
 */
@Command(
        name = "throughput",
        mixinStandardHelpOptions = true,
        description = {
            "Backlog throughput, the way Kafka's performance tools measure: the input is loaded on its topic "
                    + "while the service is paused, then timed from its first to its last committed output "
                    + "(read_committed). Scorer (global-only and with CAM crops, a checkpoint installed), bias, "
                    + "labeler and trainer, each beside the same work called directly in the same run (scorer: PNG "
                    + "decode + model, and the model alone): items/s, kafka/direct, CPU ms per item, mean batch.",
            "Then the end-to-end latency (image sent -> label committed) at shares of the scorer's backlog rate, "
                    + "a JDK Flight Recorder profile of the backlog runs (kept as throughput.jfr in the work "
                    + "directory) by service and category, and 1 vs 2 stream threads and instances."
        })
final class ThroughputCommand implements Callable<Integer> {

    @Option(
            names = "--images",
            defaultValue = "5000",
            description = "Images of the global-only scorer backlog (default ${DEFAULT-VALUE}).")
    int images;

    @Option(
            names = "--cam-images",
            defaultValue = "1000",
            description = "Images of the scorer backlog with CAM crops, at most --images (default ${DEFAULT-VALUE}).")
    int camImages;

    @Option(
            names = "--records",
            defaultValue = "50000",
            description = "Score records of the bias and labeler backlogs (default ${DEFAULT-VALUE}).")
    int records;

    @Option(
            names = "--trainer-images",
            defaultValue = "640",
            description = "Images of the trainer's training set, two epochs per round, at most --images "
                    + "(default ${DEFAULT-VALUE}).")
    int trainerImages;

    @Option(
            names = "--loads",
            split = ",",
            defaultValue = "0.25,0.5,0.8",
            description =
                    "Shares of the scorer's backlog rate offered in the latency runs " + "(default ${DEFAULT-VALUE}).")
    List<Double> loads;

    @Option(names = "--no-latency", negatable = true, description = "Skip the latency-at-load runs.")
    boolean latency = true;

    @Option(
            names = "--load-duration",
            defaultValue = "PT10S",
            description = "How long each load is offered (default ${DEFAULT-VALUE}).")
    Duration loadDuration;

    @Option(names = "--no-profile", negatable = true, description = "Skip the JDK Flight Recorder profile.")
    boolean profile = true;

    @Option(names = "--no-scaling", negatable = true, description = "Skip the 1 vs 2 threads and instances runs.")
    boolean scaling = true;

    @Option(
            names = "--quick",
            description = "40 images, 8 with CAM, 2,000 score records, 32 trainer images, batches of at most 4, "
                    + "one 2 s load: checks the wiring; the figures mean little.")
    boolean quick;

    @Option(
            names = "--work-dir",
            description =
                    "Model, broker, state and recording directory; default a temporary one, " + "deleted at the end.")
    Path workDir;

    @Option(
            names = "--timeout",
            defaultValue = "PT10M",
            description = "Longest wait for one Kafka run " + "(default ${DEFAULT-VALUE}).")
    Duration timeout;

    @Mixin
    ClassSetOptions classSet;

    @Mixin
    LabellingOptions labelling;

    @Mixin
    SynthOptions synth;

    @Override
    public Integer call() throws Exception {
        CommandSettings given = new CommandSettings();
        classSet.addTo(given);
        labelling.addTo(given);
        PipelineConfig pipeline = given.pipeline();
        if (pipeline.localViews() != LocalViews.CAM || !pipeline.labeler().debias()) {
            throw new IllegalArgumentException("--local-views and --no-debias do not apply to bench throughput "
                    + "(it measures global-only and CAM crops)");
        }
        int batchSize = pipeline.scorer().batchSize();
        List<Double> shares = latency ? loads : List.of();
        if (quick) {
            images = Math.min(images, 40);
            camImages = Math.min(camImages, 8);
            records = Math.min(records, 2000);
            trainerImages = Math.min(trainerImages, 32);
            batchSize = Math.min(batchSize, 4);
            shares = latency ? List.of(0.5) : List.of();
            loadDuration = Duration.ofSeconds(2);
        }
        if (images < 1 || camImages < 1 || records < 1 || batchSize < 1) {
            throw new IllegalArgumentException("--images, --cam-images, --records and --batch-size must be positive");
        }
        if (camImages > images || trainerImages > images) {
            throw new IllegalArgumentException("--cam-images and --trainer-images must not exceed --images");
        }
        if (shares.stream().anyMatch(share -> !(share > 0 && share <= 1))) {
            throw new IllegalArgumentException("--loads are shares of the backlog rate, above 0 and at most 1");
        }
        new ThroughputBench(
                        new ThroughputBench.Settings(
                                images,
                                camImages,
                                records,
                                trainerImages,
                                batchSize,
                                timeout,
                                synth.scenes(),
                                synth.imageSize,
                                pipeline,
                                shares,
                                loadDuration,
                                profile,
                                scaling),
                        System.out)
                .run(workDir);
        return 0;
    }
}
