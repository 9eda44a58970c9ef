package io.ccdstream.cli;

import io.ccdstream.data.synth.SynthWorld;
import io.ccdstream.models.BundledModels;
import io.ccdstream.models.miniclip.MiniClipReport;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.stream.Stream;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * Prints the {@link MiniClipReport} of a CLIP model directory, by default of the bundled
 * mini-CLIP:
 *
 * <pre>
 * java -cp ... io.ccdstream.models.miniclip.ReportMiniClip [--model DIR] [--seed 1001] [--images 1000]
 * </pre>
 */
@Command(
        name = "report-mini-clip",
        mixinStandardHelpOptions = true,
        description = "Zero-shot mAP, view dependence and class bias of a CLIP model on held-out SynthScenes.")
public final class ReportMiniClip implements Callable<Integer> {

    @Option(
            names = "--model",
            description = "CLIP model directory (default: the bundled " + BundledModels.DEFAULT + ").")
    Path model;

    @Option(
            names = "--seed",
            defaultValue = "" + MiniClipReport.DEFAULT_HELD_OUT_SEED,
            description = "SynthScenes seed of the held-out split (default ${DEFAULT-VALUE}).")
    long seed;

    @Option(
            names = "--world",
            split = ",",
            defaultValue = "small-objects",
            converter = SynthWorldConverter.class,
            description = "SynthScenes world(s) of the held-out split, comma-separated: small-objects, voc-like; "
                    + "one report per world (default ${DEFAULT-VALUE}).")
    List<SynthWorld> worlds;

    @Option(
            names = "--images",
            defaultValue = "" + MiniClipReport.DEFAULT_IMAGES,
            description = "Images (default ${DEFAULT-VALUE}).")
    int images;

    private final PrintStream console;

    /** A command printing to standard output, as the {@code ccd} command line creates it. */
    public ReportMiniClip() {
        this(System.out);
    }

    ReportMiniClip(PrintStream console) {
        this.console = console;
    }

    /**
     * @param args see {@code --help}
     */
    public static void main(String[] args) {
        System.exit(new CommandLine(new ReportMiniClip(System.out)).execute(args));
    }

    @Override
    public Integer call() throws Exception {
        if (model != null) {
            TrainMiniClip.report(model, worlds, seed, images, console);
            return 0;
        }
        Path temp = Files.createTempDirectory("ccd-models");
        try {
            TrainMiniClip.report(BundledModels.extract(BundledModels.DEFAULT, temp), worlds, seed, images, console);
        } finally {
            try (Stream<Path> files = Files.walk(temp)) {
                for (Path file : files.sorted(Comparator.reverseOrder()).toList()) {
                    Files.delete(file);
                }
            }
        }
        return 0;
    }
}
