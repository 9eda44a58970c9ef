package io.ccdstream.cli;

import io.ccdstream.streams.pipeline.PipelineConfig;
import java.util.List;
import picocli.CommandLine.Option;

/**
 * The class set of a command, the CLIP model and the class names: shortcuts for
 * {@value PipelineConfig#CLIP_MODEL_DIR} and {@value PipelineConfig#CLASSES}.
 */
final class ClassSetOptions extends ClipModelOptions {

    @Option(
            names = "--classes",
            split = ",",
            paramLabel = "NAME[,NAME...]",
            description = "Class names to label (" + PipelineConfig.CLASSES + "; default: the 20 SynthScenes classes).")
    List<String> classes;

    @Override
    void addTo(CommandSettings settings) {
        super.addTo(settings);
        if (classes != null && !classes.isEmpty()) {
            settings.put(PipelineConfig.CLASSES, List.copyOf(classes), "--classes");
        }
    }
}
