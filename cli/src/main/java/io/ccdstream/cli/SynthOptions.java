package io.ccdstream.cli;

import io.ccdstream.data.synth.SynthScenes;
import picocli.CommandLine.Option;

/** Which SynthScenes images a command generates. */
final class SynthOptions {

    @Option(names = "--seed", defaultValue = "1", description = "SynthScenes seed (default ${DEFAULT-VALUE}).")
    long seed;

    @Option(
            names = "--image-size",
            defaultValue = "128",
            description = "SynthScenes image side in pixels (default ${DEFAULT-VALUE}).")
    int imageSize;

    /** The generator these options describe. */
    SynthScenes scenes() {
        return new SynthScenes(seed, imageSize, SynthScenes.DEFAULT_NONE_SHARE);
    }
}
