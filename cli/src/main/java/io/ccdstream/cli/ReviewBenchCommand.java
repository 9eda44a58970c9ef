package io.ccdstream.cli;

import io.ccdstream.bench.ReviewBench;
import io.ccdstream.bench.ReviewReport;
import io.ccdstream.data.synth.SynthWorld;
import io.ccdstream.method.active.SelectionStrategy;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code ccd bench review}: what each answer of a person is worth, per selection strategy; no Kafka. */
@Command(
        name = "review",
        mixinStandardHelpOptions = true,
        description = {
            "What a person's answers are worth, per selection strategy, with SynthScenes' ground truth as a simulated"
                    + " reviewer; no Kafka.",
            "The train images are labelled as the pipeline labels them (bundled mini-CLIP, RANK debias, a warmed-up"
                    + " classifier's CAM crops, alpha 0.4). For each strategy and share of answered images the reviewer"
                    + " answers every class of the images the strategy picks; prints the train-label mAP, the held-out"
                    + " mAP of the classifier refined on the labels, and the label mAP of the unreviewed images with the"
                    + " bias estimated with and without the reviewed ones; writes the table and a PNG."
        })
final class ReviewBenchCommand implements Callable<Integer> {

    @Option(
            names = "--quick",
            description = "A tiny run (200 images of 32 px, one share, no random repeat), for a smoke test.")
    boolean quick;

    @Option(names = "--seed", defaultValue = "7", description = "SynthScenes seed (default ${DEFAULT-VALUE}).")
    long seed;

    @Option(
            names = "--world",
            defaultValue = "small-objects",
            converter = SynthWorldConverter.class,
            description = "SynthScenes world: small-objects or voc-like (default ${DEFAULT-VALUE}).")
    SynthWorld world;

    @Option(
            names = "--image-size",
            defaultValue = "32",
            description = "Image side in pixels, also the classifier input (default ${DEFAULT-VALUE}).")
    int imageSize;

    @Option(names = "--train-images", defaultValue = "400", description = "Train images (default ${DEFAULT-VALUE}).")
    int trainImages;

    @Option(names = "--test-images", defaultValue = "200", description = "Held-out images (default ${DEFAULT-VALUE}).")
    int testImages;

    @Option(
            names = "--shares",
            split = ",",
            defaultValue = "0.02,0.05,0.1",
            description = "Shares of the train images answered; the classifier is trained and measured at the"
                    + " largest (default ${DEFAULT-VALUE}).")
    List<Double> shares;

    @Option(
            names = "--strategies",
            split = ",",
            defaultValue = "uncertainty,disagreement,random",
            description = "Strategies compared (default ${DEFAULT-VALUE}).")
    List<String> strategies;

    @Option(
            names = "--random-seeds",
            defaultValue = "2",
            description = "Seeds of the random strategy; its rows are the mean (default ${DEFAULT-VALUE}).")
    int randomSeeds;

    @Option(
            names = "--epochs",
            defaultValue = "1",
            description = "Epochs of the refinement on the reviewed labels (default ${DEFAULT-VALUE}).")
    int epochs;

    @Option(
            names = "--verified-weights",
            split = ",",
            defaultValue = "1",
            description = "Loss weights of the verified labels: the first for every row, the others for the best"
                    + " strategy at the largest share (default ${DEFAULT-VALUE}).")
    List<Float> verifiedWeights;

    @Option(names = "--work-dir", defaultValue = "ccd-work", description = "Where the bundled model is extracted.")
    Path workDir;

    @Option(
            names = "--out",
            defaultValue = "review-bench",
            description = "Directory for review.md and review.png (default ${DEFAULT-VALUE}).")
    Path out;

    @Override
    public Integer call() throws Exception {
        for (double share : shares) {
            if (!(share > 0 && share < 1)) {
                throw new IllegalArgumentException("--shares must be in (0, 1), got " + share);
            }
        }
        ReviewBench.Settings settings = quick
                ? new ReviewBench.Settings(seed, world, 32, 200, 100, List.of(0.05), parse(), 1, 1, List.of(1f))
                : new ReviewBench.Settings(
                        seed,
                        world,
                        imageSize,
                        trainImages,
                        testImages,
                        shares,
                        parse(),
                        randomSeeds,
                        epochs,
                        verifiedWeights);
        Files.createDirectories(workDir);
        ReviewBench.Result result = ReviewBench.run(settings, workDir, System.out);
        String table = ReviewReport.table(result);
        Files.createDirectories(out);
        Files.writeString(out.resolve("review.md"), "# ccd bench review: " + result.images() + "\n\n" + table);
        ReviewReport.chart(result, out.resolve("review.png"));
        System.out.printf(
                "%n%s%n%s%nWrote %s and %s (%.0f s)%n",
                result.images(), table, out.resolve("review.md"), out.resolve("review.png"), result.seconds());
        return 0;
    }

    private List<SelectionStrategy> parse() {
        return strategies.stream().map(SelectionStrategy::of).toList();
    }
}
