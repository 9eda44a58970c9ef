package io.ccdstream.cli;

import io.ccdstream.bench.ContinuousBench;
import io.ccdstream.bench.ContinuousReport;
import io.ccdstream.trainer.TrainerConfig;
import java.io.PrintStream;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code ccd bench continuous}: the options of {@link ContinuousBench}, which streams SynthScenes
 * through the demo's pipeline and trainer and scores every label and checkpoint against the truth.
 */
@Command(
        name = "continuous",
        mixinStandardHelpOptions = true,
        description = {
            "Incremental retraining as a user sees it: SynthScenes images streamed at --rate for --duration "
                    + "through the whole pipeline in this process (embedded broker and registry; scorer, bias, labeler "
                    + "and trainer with ccd demo's settings); every ccd.labels, ccd.scores and ccd.checkpoints record is "
                    + "read back during the run and scored against the images' ground truth.",
            "Reports mAP by checkpoint version and by arrival window with bootstrap intervals, the crops' gain "
                    + "over global-only, the share of old images re-scored, each checkpoint's true mAP on held-out "
                    + "images beside the trainer's own signals (rank correlation), and latency; writes "
                    + "continuous-<world>.md, .json and .png under --out."
        })
final class ContinuousCommand implements Callable<Integer> {

    /**
     * The quick run's trainer thresholds: small enough for several checkpoints in about 90 s, and a
     * held-out slice (one image in 4, a signal from 32) that gives them a held-out signal early.
     */
    static final Map<String, Object> QUICK_TRAINER = Map.of(
            TrainerConfig.WARMUP_MIN_IMAGES, 40,
            TrainerConfig.CONTINUOUS_MIN_NEW_LABELS, 40,
            TrainerConfig.REFINE_MAX_EPOCHS, 2,
            TrainerConfig.HELD_OUT_EVERY, 4,
            TrainerConfig.HELD_OUT_MIN_IMAGES, 32);

    @Option(
            names = "--duration",
            defaultValue = "PT15M",
            description = "How long images are sent (default ${DEFAULT-VALUE}: at rate 6 about 5,400 images, "
                    + "past warm-up and refinement into a dozen or more continuous rounds).")
    Duration duration;

    @Option(names = "--rate", defaultValue = "6", description = "Images sent per second (default ${DEFAULT-VALUE}).")
    double rate;

    @Option(
            names = "--drain",
            defaultValue = "PT2M",
            description = "Longest wait for the last labels after the stream (default ${DEFAULT-VALUE}); it ends "
                    + "earlier once every image is labelled and no label came for 5 s.")
    Duration drain;

    @Option(
            names = "--held-out-images",
            defaultValue = "500",
            description = "SynthScenes images of seed + 1, never sent, that each checkpoint's classifier is "
                    + "evaluated on (default ${DEFAULT-VALUE}).")
    int heldOutImages;

    @Option(
            names = "--windows",
            defaultValue = "10",
            description = "Arrival windows of the report (default ${DEFAULT-VALUE}).")
    int windows;

    @Option(
            names = "--bootstrap",
            defaultValue = "1000",
            description = "Bootstrap resamples per interval (default ${DEFAULT-VALUE}).")
    int resamples;

    @Option(
            names = "--quick",
            description = "CI-sized: at most 90 s of images, 30 s drain, 100 held-out images, 200 resamples, and "
                    + "the trainer's warm-up and continuous thresholds at 40 labels (refinement at most 2 epochs) and its "
                    + "held-out slice at one image in 4, with a signal from 32, so that several checkpoints with a "
                    + "held-out signal appear. Checks the wiring; the figures mean little.")
    boolean quick;

    @Option(
            names = "--out",
            defaultValue = "docs/benchmarks",
            description = "Where continuous-<world>.{md,json,png} are written (default ${DEFAULT-VALUE}).")
    Path outDir;

    @Option(
            names = "--work-dir",
            description = "Model, broker and state; default a temporary directory, deleted at the end. Must be "
                    + "empty or absent.")
    Path workDir;

    @Mixin
    SynthOptions synth;

    @Mixin
    ConfigOptions configOptions;

    @Spec
    CommandSpec spec;

    private final PrintStream out = System.out;

    @Override
    public Integer call() throws Exception {
        CommandSettings given = configOptions.settings();
        Map<String, Object> trainer = DemoCommand.trainerSettings(synth.imageSize, 0, given.trainerSettings());
        if (quick) {
            duration = duration.compareTo(Duration.ofSeconds(90)) > 0 ? Duration.ofSeconds(90) : duration;
            drain = drain.compareTo(Duration.ofSeconds(30)) > 0 ? Duration.ofSeconds(30) : drain;
            heldOutImages = Math.min(heldOutImages, 100);
            resamples = Math.min(resamples, 200);
            QUICK_TRAINER.forEach(trainer::putIfAbsent);
        }
        ContinuousReport report = new ContinuousBench(
                        new ContinuousBench.Settings(
                                synth.scenes(),
                                heldOutImages,
                                rate,
                                duration,
                                drain,
                                windows,
                                resamples,
                                given.pipeline(),
                                given.values(),
                                trainer,
                                commandLine()),
                        out)
                .run(workDir);
        List<Path> files = report.write(outDir);
        out.println();
        out.print(report.markdown(files.get(2).getFileName().toString()));
        files.forEach(file -> out.println("Wrote " + file.toAbsolutePath()));
        return 0;
    }

    private String commandLine() {
        List<String> args = spec == null
                ? List.of("bench", "continuous")
                : spec.commandLine().getParseResult().originalArgs();
        return "ccd " + String.join(" ", args);
    }
}
