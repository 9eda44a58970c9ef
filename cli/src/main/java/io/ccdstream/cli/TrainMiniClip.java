package io.ccdstream.cli;

import io.ccdstream.data.synth.SynthWorld;
import io.ccdstream.models.clip.ClipModel;
import io.ccdstream.models.clip.ClipModelException;
import io.ccdstream.models.miniclip.MiniClipConfig;
import io.ccdstream.models.miniclip.MiniClipReport;
import io.ccdstream.models.miniclip.MiniClipTrainer;
import io.ccdstream.models.miniclip.TrainingSummary;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.stream.Collectors;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * Trains the bundled mini-CLIP from scratch and prints its training time and its report:
 *
 * <pre>
 * java -cp ... io.ccdstream.models.miniclip.TrainMiniClip --seed 1 --out /tmp/mini-clip
 * </pre>
 *
 * The defaults reproduce the bundled model ({@link MiniClipConfig}); {@code --images}, {@code
 * --epochs}, {@code --zipf-exponent} and {@code --salient-share} override them for experiments.
 */
@Command(
        name = "train-mini-clip",
        mixinStandardHelpOptions = true,
        description =
                "Train mini-CLIP on SynthScenes captions with DJL (CPU) and write a djl-mini-clip model directory.")
public final class TrainMiniClip implements Callable<Integer> {

    @Option(names = "--seed", defaultValue = "1", description = "Training seed (default ${DEFAULT-VALUE}).")
    long seed;

    @Option(names = "--out", required = true, description = "Model directory to write.")
    Path out;

    @Option(
            names = "--images",
            defaultValue = "" + MiniClipConfig.DEFAULT_TRAIN_IMAGES,
            description = "Training image-caption pairs (default ${DEFAULT-VALUE}).")
    int images;

    @Option(
            names = "--epochs",
            defaultValue = "" + MiniClipConfig.DEFAULT_EPOCHS,
            description = "Epochs (default ${DEFAULT-VALUE}).")
    int epochs;

    @Option(
            names = "--zipf-exponent",
            description = "Long-tail exponent of the training classes (default: the bundled model's).")
    Double zipfExponent;

    @Option(
            names = "--salient-share",
            description = "Share of captions naming the largest object (default: the bundled model's).")
    Double salientShare;

    @Option(
            names = "--worlds",
            split = ",",
            converter = SynthWorldConverter.class,
            description = "SynthScenes worlds of the training images, taken in turn, comma-separated: "
                    + "small-objects, voc-like (default: the bundled model's, both).")
    List<SynthWorld> worlds;

    @Option(
            names = "--report-seed",
            defaultValue = "" + MiniClipReport.DEFAULT_HELD_OUT_SEED,
            description = "SynthScenes seed of the held-out report split (default ${DEFAULT-VALUE}).")
    long reportSeed;

    @Option(
            names = "--report-images",
            defaultValue = "" + MiniClipReport.DEFAULT_IMAGES,
            description = "Images of the held-out report split, 0 for no report (default ${DEFAULT-VALUE}).")
    int reportImages;

    private final PrintStream console;

    /** A command printing to standard output, as the {@code ccd} command line creates it. */
    public TrainMiniClip() {
        this(System.out);
    }

    TrainMiniClip(PrintStream console) {
        this.console = console;
    }

    /**
     * @param args see {@code --help}
     */
    public static void main(String[] args) {
        System.exit(new CommandLine(new TrainMiniClip(System.out)).execute(args));
    }

    @Override
    public Integer call() throws Exception {
        MiniClipConfig.Builder builder =
                MiniClipConfig.builder().setSeed(seed).optTrainImages(images).optEpochs(epochs);
        if (zipfExponent != null) {
            builder.optZipfExponent(zipfExponent);
        }
        if (salientShare != null) {
            builder.optSalientShare(salientShare);
        }
        if (worlds != null) {
            builder.optWorlds(worlds);
        }
        MiniClipConfig config = builder.build();
        console.printf(
                Locale.ROOT,
                "training mini-CLIP: seed %d, %d images of %s, %d epochs, %d cores -> %s%n",
                seed,
                images,
                config.worlds().stream().map(SynthWorld::id).collect(Collectors.joining(" + ")),
                epochs,
                Runtime.getRuntime().availableProcessors(),
                out);
        TrainingSummary summary;
        try (MiniClipTrainer trainer = MiniClipTrainer.create(config, out)) {
            summary = trainer.train(e -> console.printf(
                    Locale.ROOT,
                    "epoch %2d  loss %.4f  logit scale %.1f  %.0f s%n",
                    e.epoch(),
                    e.meanLoss(),
                    e.logitScale(),
                    e.seconds()));
            trainer.save();
        }
        console.printf(
                Locale.ROOT,
                "training time: %.0f s (data %.0f s, epochs %.0f s)%n",
                summary.totalSeconds(),
                summary.dataSeconds(),
                summary.trainSeconds());
        if (reportImages > 0) {
            report(out, config.worlds(), reportSeed, reportImages, console);
        }
        return 0;
    }

    /** Prints the report of the model in {@code modelDir} on a held-out split of each world. */
    static void report(Path modelDir, List<SynthWorld> worlds, long heldOutSeed, int n, PrintStream console)
            throws ClipModelException {
        try (ClipModel clip = ClipModel.load(modelDir)) {
            for (SynthWorld world : worlds) {
                console.print(MiniClipReport.run(clip, world, heldOutSeed, n).format());
            }
        }
    }
}
