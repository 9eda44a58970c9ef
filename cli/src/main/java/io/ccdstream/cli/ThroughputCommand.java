package io.ccdstream.cli;

import io.ccdstream.bench.ThroughputBench;
import io.ccdstream.models.scoring.LocalViews;
import io.ccdstream.streams.pipeline.PipelineConfig;
import java.nio.file.Path;
import java.time.Duration;
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
            "Scorer images/s and latency through Kafka (embedded broker, 1 partition, exactly_once_v2) "
                    + "and of the same model called directly on the same decoded images at the same batch size; the same "
                    + "for the labeler (records/s) and the trainer (steps/s: the trainer service fed through topics, and "
                    + "trainStep called directly). Global-only and with CAM crops.",
            "Kafka latency: send to first read_committed output, with at most --in-flight items outstanding; "
                    + "direct latency: the call of the item's batch."
        })
final class ThroughputCommand implements Callable<Integer> {

    @Option(
            names = "--images",
            defaultValue = "256",
            description = "Images (and score records) measured per mode " + "and path (default ${DEFAULT-VALUE}).")
    int images;

    @Option(
            names = "--in-flight",
            defaultValue = "0",
            description = "Most items awaiting their Kafka output at a time; 0 means twice the batch size.")
    int inFlight;

    @Option(
            names = "--trainer-steps",
            defaultValue = "20",
            description = "Trainer steps measured per mode " + "(default ${DEFAULT-VALUE}).")
    int trainerSteps;

    @Option(
            names = "--quick",
            description =
                    "8 images, batches of at most 4, 2 trainer steps: checks the wiring; " + "the figures mean little.")
    boolean quick;

    @Option(
            names = "--work-dir",
            description = "Model, broker and state directory; default a temporary one, " + "deleted at the end.")
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
        if (quick) {
            images = Math.min(images, 8);
            batchSize = Math.min(batchSize, 4);
            trainerSteps = Math.min(trainerSteps, 2);
        }
        if (images < 1 || batchSize < 1 || trainerSteps < 1) {
            throw new IllegalArgumentException("--images, --batch-size and --trainer-steps must be positive");
        }
        new ThroughputBench(
                        new ThroughputBench.Settings(
                                images,
                                inFlight,
                                trainerSteps,
                                batchSize,
                                timeout,
                                synth.scenes(),
                                synth.imageSize,
                                pipeline),
                        System.out)
                .run(workDir);
        return 0;
    }
}
