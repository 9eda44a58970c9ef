package io.ccdstream.cli;

import io.ccdstream.streams.pipeline.PipelineConfig;
import java.nio.file.Path;
import java.util.List;
import picocli.CommandLine.Option;

/**
 * The class set of a command, the CLIP model and the class names: shortcuts for
 * {@value PipelineConfig#CLIP_MODEL_DIR}, {@value PipelineConfig#CLASSES} and {@value PipelineConfig#ONTOLOGY_FILE}.
 */
final class ClassSetOptions extends ClipModelOptions {

    @Option(
            names = "--classes",
            split = ",",
            paramLabel = "NAME[,NAME...]",
            description = "Class names to label (" + PipelineConfig.CLASSES + "; default: the 20 SynthScenes classes).")
    List<String> classes;

    @Option(
            names = "--ontology",
            paramLabel = "FILE",
            description = "Ontology file, YAML or JSON: class names, per class its own prompts and a threshold, shared "
                    + "templates with {class} (" + PipelineConfig.ONTOLOGY_FILE + "; instead of --classes).")
    Path ontology;

    @Override
    void addTo(CommandSettings settings) {
        super.addTo(settings);
        if (classes != null && !classes.isEmpty()) {
            settings.put(PipelineConfig.CLASSES, List.copyOf(classes), "--classes");
        }
        if (ontology != null) {
            settings.put(PipelineConfig.ONTOLOGY_FILE, ontology.toString(), "--ontology");
        }
    }
}
