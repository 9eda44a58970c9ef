package io.ccdstream.cli;

import io.ccdstream.data.export.LabelStudioImport;
import io.ccdstream.data.synth.SynthClass;
import io.ccdstream.models.clip.ClassSet;
import io.ccdstream.models.clip.ClipModelException;
import io.ccdstream.schemas.Verdict;
import io.ccdstream.streams.CcdStreamsConfig;
import io.ccdstream.streams.pipeline.PipelineConfig;
import io.ccdstream.topics.RegistrySerdes;
import io.ccdstream.topics.export.LabelReader;
import io.ccdstream.topics.review.ReviewProducer;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** Brings a person's answers from a labelling tool back into the pipeline, as reviews on ccd.reviews. */
@Command(
        name = "import",
        mixinStandardHelpOptions = true,
        description = "Read a labelling tool's export into ccd.reviews (the labeler makes VERIFIED labels of them).",
        subcommands = {ImportCommand.LabelStudio.class})
final class ImportCommand {

    /** {@code ccd import labelstudio FILE}. */
    @Command(
            name = "labelstudio",
            aliases = "label-studio",
            mixinStandardHelpOptions = true,
            description = {
                "Read Label Studio's JSON export (Export > JSON) of the tasks ccd export --format labelstudio wrote,"
                        + " and write one review per annotated task to ccd.reviews: the classes chosen are PRESENT,"
                        + " the others ABSENT; the latest annotation that was not cancelled counts.",
                "Prints one line per task. A task that names no ccd image, another class set, an image with no label"
                        + " in ccd.labels, or a class not in the set, or that has no annotation, is refused with its"
                        + " reason and the others are imported. Exits 0 when every task was imported, 1 otherwise."
            })
    static final class LabelStudio implements Callable<Integer> {

        @Parameters(paramLabel = "FILE", description = "Label Studio's JSON export.")
        Path file;

        @Option(
                names = "--class-set-id",
                paramLabel = "ID",
                description = "Import into this class set instead of the one the model, classes or ontology make.")
        String classSetId;

        @Option(names = "--work-dir", defaultValue = "ccd-work", description = "Where the bundled model is extracted.")
        Path workDir;

        @Mixin
        ClusterOptions cluster;

        @Mixin
        ConfigOptions configOptions;

        @Mixin
        ClassSetOptions classSet;

        @Override
        public Integer call() throws IOException, ClipModelException {
            if (!Files.isRegularFile(file)) {
                throw new IllegalArgumentException("no file " + file);
            }
            CommandSettings given = configOptions.settings();
            cluster.addTo(given);
            classSet.addTo(given);
            PipelineConfig pipeline = given.pipeline();
            ClassSet set = pipeline.classSet(pipeline.modelDir(workDir), SynthClass.names());
            String id = classSetId != null ? classSetId : set.id();
            List<LabelStudioImport.Outcome> outcomes = LabelStudioImport.read(file, id, set.classNames());
            CcdStreamsConfig config = given.streams();
            RegistrySerdes serdes = new RegistrySerdes(config.serdeSettings());
            int imported = 0;
            try (LabelReader reader = new LabelReader(config.bootstrapServers(), serdes, config.clientOverrides(), id);
                    ReviewProducer producer =
                            new ReviewProducer(config.bootstrapServers(), serdes, config.clientOverrides())) {
                reader.catchUp(Duration.ofMinutes(5));
                for (LabelStudioImport.Outcome outcome : outcomes) {
                    String problem = outcome.problem();
                    if (problem == null && !reader.labels().containsKey(outcome.imageId())) {
                        problem = "image " + outcome.imageId() + " has no label of class set " + id
                                + " in ccd.labels (no such task was exported)";
                    }
                    if (problem != null) {
                        System.out.printf(
                                "task %d%s: refused: %s%n",
                                outcome.task(),
                                outcome.imageId() == null ? "" : " (" + outcome.imageId() + ")",
                                problem);
                        continue;
                    }
                    producer.send(outcome.review());
                    imported++;
                    long present = outcome.review().getVerdicts().stream()
                            .filter(v -> v.getVerdict() == Verdict.PRESENT)
                            .count();
                    System.out.printf(
                            "task %d (%s): imported, %d present, %d absent, by %s%n",
                            outcome.task(),
                            outcome.imageId(),
                            present,
                            outcome.review().getVerdicts().size() - present,
                            outcome.review().getReviewer());
                }
            }
            System.out.printf(
                    "Imported %d of %d tasks from %s into ccd.reviews (class set %s)%n",
                    imported, outcomes.size(), file, id);
            return imported == outcomes.size() ? 0 : 1;
        }
    }
}
