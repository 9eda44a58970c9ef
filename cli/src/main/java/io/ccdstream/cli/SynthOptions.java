package io.ccdstream.cli;

import io.ccdstream.processors.synth.SynthScenes;
import picocli.CommandLine.Option;

/** Which SynthScenes images a command generates. */
final class SynthOptions {

    /** Share of generated images with no object. */
    static final double NONE_SHARE = 0.05;

    @Option(names = "--seed", defaultValue = "1", description = "SynthScenes seed (default ${DEFAULT-VALUE}).")
    long seed;

    @Option(names = "--image-size", defaultValue = "128",
        description = "SynthScenes image side in pixels (default ${DEFAULT-VALUE}).")
    int imageSize;

    /** The generator these options describe. */
    SynthScenes scenes() {
        return new SynthScenes(seed, imageSize, NONE_SHARE);
    }
}
