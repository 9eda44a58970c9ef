package io.ccdstream.cli;

import io.ccdstream.streams.pipeline.PipelineConfig;
import java.nio.file.Path;
import picocli.CommandLine.Option;

/** The CLIP model of a command: a shortcut for {@value PipelineConfig#CLIP_MODEL_DIR}. */
class ClipModelOptions {

    @Option(
            names = "--clip-model",
            paramLabel = "DIR",
            description = "CLIP model directory (clip.json + TorchScript + tokenizer.json) ("
                    + PipelineConfig.CLIP_MODEL_DIR + "; default: the bundled model).")
    Path clipModel;

    /** Adds the options given to {@code settings}. */
    void addTo(CommandSettings settings) {
        if (clipModel != null) {
            settings.put(PipelineConfig.CLIP_MODEL_DIR, clipModel.toString(), "--clip-model");
        }
    }

    /** The model directory of these options alone: the given one, or the bundled model extracted under {@code workDir}. */
    Path modelDir(Path workDir) {
        CommandSettings settings = new CommandSettings();
        addTo(settings);
        return settings.pipeline().modelDir(workDir);
    }
}
