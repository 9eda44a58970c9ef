package io.ccdstream.cli;

import io.ccdstream.data.synth.SynthScenes;
import io.ccdstream.data.synth.SynthWorld;
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

    @Option(
            names = "--world",
            defaultValue = "small-objects",
            converter = SynthWorldConverter.class,
            description = "SynthScenes world: small-objects (many small objects, one colour per class) or "
                    + "voc-like (PASCAL VOC object scales, colours shared across classes) (default ${DEFAULT-VALUE}).")
    SynthWorld world;

    /** The generator these options describe. */
    SynthScenes scenes() {
        return SynthScenes.builder()
                .setSeed(seed)
                .optWorld(world)
                .optSize(imageSize)
                .optNoneShare(SynthScenes.DEFAULT_NONE_SHARE)
                .build();
    }
}
