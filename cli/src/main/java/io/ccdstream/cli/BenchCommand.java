package io.ccdstream.cli;

import io.ccdstream.bench.ClassifierBenchmark;
import io.ccdstream.bench.ClipBenchmark;
import io.ccdstream.data.synth.SynthClass;
import io.ccdstream.models.classifier.Classifier;
import io.ccdstream.models.classifier.ClassifierConfig;
import io.ccdstream.models.clip.ClipModel;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** Benchmarks that print figures measured on this machine. */
@Command(
        name = "bench",
        mixinStandardHelpOptions = true,
        description = "Measure the models and the pipeline.",
        subcommands = {
            BenchCommand.Models.class,
            ThroughputCommand.class,
            QualityCommand.class,
            ContinuousCommand.class,
            RoundsCommand.class,
            ReviewBenchCommand.class
        })
final class BenchCommand {

    /** The models alone, no Kafka. */
    @Command(
            name = "models",
            mixinStandardHelpOptions = true,
            description = "CLIP scoring and classifier forward+CAM images/s at several batch sizes, and native memory "
                    + "over a long run of CLIP scorings.")
    static final class Models implements Callable<Integer> {

        @Option(
                names = "--batch-sizes",
                split = ",",
                defaultValue = "1,8,32",
                description = "Batch sizes to measure (default ${DEFAULT-VALUE}).")
        List<Integer> batchSizes;

        @Option(
                names = "--images",
                defaultValue = "256",
                description = "Images scored per batch size (default ${DEFAULT-VALUE}).")
        int images;

        @Option(
                names = "--image-size",
                defaultValue = "128",
                description = "SynthScenes image side (default ${DEFAULT-VALUE}).")
        int imageSize;

        @Option(
                names = "--soak",
                defaultValue = "10000",
                description = "Single-image scorings of the memory run; 0 skips it (default ${DEFAULT-VALUE}).")
        int soak;

        @Option(
                names = "--classifier-input",
                defaultValue = "128",
                description = "Input side of the classifier measured (default ${DEFAULT-VALUE}).")
        int classifierInput;

        @Option(names = "--work-dir", defaultValue = "ccd-work", description = "Where the bundled model is extracted.")
        Path workDir;

        @Mixin
        ClipModelOptions model;

        @Override
        public Integer call() throws Exception {
            try (ClipModel clip = ClipModel.load(model.modelDir(workDir))) {
                ClipBenchmark bench = new ClipBenchmark(clip, 64, imageSize);
                System.out.printf(
                        "CLIP model %s, %d classes, %d px SynthScenes images, %d cores%n",
                        clip.descriptor().modelId(),
                        SynthClass.ALL.size(),
                        imageSize,
                        Runtime.getRuntime().availableProcessors());
                System.out.println("| batch | images | seconds | images/s |");
                System.out.println("|---:|---:|---:|---:|");
                for (int batch : batchSizes) {
                    ClipBenchmark.Throughput t = bench.throughput(batch, images);
                    System.out.printf(
                            "| %d | %d | %.2f | %.1f |%n", t.batchSize(), t.images(), t.seconds(), t.imagesPerSecond());
                }
                try (Classifier classifier = Classifier.create(ClassifierConfig.builder()
                        .setClassNames(SynthClass.names())
                        .optInputSize(classifierInput)
                        .build())) {
                    ClassifierBenchmark cam = new ClassifierBenchmark(classifier, 64, imageSize);
                    System.out.printf(
                            "%nClassifier forward + CAM (%s, %d px input, %d classes)%n",
                            classifier.config().backbone(), classifierInput, SynthClass.ALL.size());
                    System.out.println("| batch | images | seconds | images/s |");
                    System.out.println("|---:|---:|---:|---:|");
                    for (int batch : batchSizes) {
                        ClipBenchmark.Throughput t = cam.throughput(batch, images);
                        System.out.printf(
                                "| %d | %d | %.2f | %.1f |%n",
                                t.batchSize(), t.images(), t.seconds(), t.imagesPerSecond());
                    }
                }
                if (soak > 0) {
                    System.out.printf(
                            "%nMemory over %d single-image scorings (native = resident set - committed heap)%n", soak);
                    System.out.println("| scorings | live NDArrays | resident MiB | heap committed MiB | native MiB |");
                    System.out.println("|---:|---:|---:|---:|---:|");
                    for (ClipBenchmark.SoakRound r : bench.soak(soak, 5)) {
                        System.out.printf(
                                "| %d | %d | %.1f | %.1f | %.1f |%n",
                                r.scorings(),
                                r.liveArrays(),
                                r.rssKiB() / 1024.0,
                                r.heapCommittedKiB() / 1024.0,
                                r.nativeKiB() / 1024.0);
                    }
                }
            }
            return 0;
        }
    }
}
