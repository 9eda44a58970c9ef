package io.ccdstream.cli;

import io.ccdstream.data.ImageRecords;
import io.ccdstream.data.synth.SynthClass;
import io.ccdstream.data.synth.SynthScenes;
import io.ccdstream.models.clip.ClipModelException;
import io.ccdstream.streams.CcdStreamsConfig;
import io.ccdstream.streams.pipeline.PipelineConfig;
import io.ccdstream.topics.ImageProducer;
import io.ccdstream.topics.RegistrySerdes;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** Sends images into the images topic of an existing cluster. */
@Command(
        name = "ingest",
        mixinStandardHelpOptions = true,
        description = "Send images into ccd.images.",
        subcommands = IngestCommand.Synth.class)
final class IngestCommand {

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
