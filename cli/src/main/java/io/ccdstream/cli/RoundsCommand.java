package io.ccdstream.cli;

import io.ccdstream.bench.ContinuousRoundStudy;
import io.ccdstream.data.synth.SynthWorld;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code ccd bench rounds}: the CONTINUOUS-round study, no Kafka. */
@Command(
        name = "rounds",
        mixinStandardHelpOptions = true,
        description = {
            "How CONTINUOUS rounds should sample and train, and which label-free signal ranks checkpoints as the"
                    + " ground truth does; no Kafka.",
            "SynthScenes images arrive in chunks and are labelled as the global view labels them (bundled mini-CLIP,"
                    + " RANK debias); one in --slice-every joins a held-out slice with its label frozen. After a warm-up,"
                    + " each strategy runs one round per chunk; every checkpoint is scored on a ground-truth test set"
                    + " (seed + 1) and on the slice. Prints the true mAP per round and strategy, the signals' rank"
                    + " correlation with it, and the default signal on slices of growing size."
        })
final class RoundsCommand implements Callable<Integer> {

    @Option(names = "--quick", description = "A tiny run (one strategy, two rounds of 32 px images), for a smoke test.")
    boolean quick;

    @Option(names = "--seed", defaultValue = "21", description = "SynthScenes seed (default ${DEFAULT-VALUE}).")
    long seed;

    @Option(
            names = "--image-size",
            defaultValue = "64",
            description = "SynthScenes image side in pixels, also the classifier input (default ${DEFAULT-VALUE}).")
    int imageSize;

    @Option(
            names = "--world",
            defaultValue = "small-objects",
            converter = SynthWorldConverter.class,
            description = "SynthScenes world: small-objects or voc-like (default ${DEFAULT-VALUE}).")
    SynthWorld world;

    @Option(
            names = "--warmup-images",
            defaultValue = "200",
            description = "Images before the first round (default ${DEFAULT-VALUE}).")
    int warmupImages;

    @Option(
            names = "--chunk-images",
            defaultValue = "100",
            description = "Images per round (default ${DEFAULT-VALUE}).")
    int chunkImages;

    @Option(names = "--chunks", defaultValue = "6", description = "Rounds (default ${DEFAULT-VALUE}).")
    int chunks;

    @Option(
            names = "--test-images",
            defaultValue = "300",
            description = "Ground-truth test images (default ${DEFAULT-VALUE}).")
    int testImages;

    @Option(
            names = "--slice-every",
            defaultValue = "4",
            description = "One image in this many joins the held-out slice (default ${DEFAULT-VALUE}).")
    int sliceEvery;

    @Option(
            names = "--strategies",
            split = ";",
            description = "Strategies to run, by name, separated by ';' (default: all): 'new only', 'replay x1',"
                    + " 'replay x3', cumulative, 'replay x1, class-balanced', 'replay x1, 1 epoch', 'replay x1, 3 epochs',"
                    + " 'replay x1, lr x0.3', 'replay x1, lr x3', 'replay x3, class-balanced', 'replay x3, lr x0.3'.")
    List<String> strategies = List.of();

    @Option(names = "--work-dir", defaultValue = "ccd-work", description = "Where the bundled model is extracted.")
    Path workDir;

    @Override
    public Integer call() throws Exception {
        ContinuousRoundStudy.Settings settings = quick
                ? ContinuousRoundStudy.Settings.quick()
                : new ContinuousRoundStudy.Settings(
                        seed,
                        world,
                        imageSize,
                        warmupImages,
                        chunkImages,
                        chunks,
                        testImages,
                        sliceEvery,
                        256,
                        strategies);
        Files.createDirectories(workDir);
        ContinuousRoundStudy.Result result = ContinuousRoundStudy.run(settings, workDir, System.out);
        ContinuousRoundStudy.report(result, System.out);
        return 0;
    }
}
