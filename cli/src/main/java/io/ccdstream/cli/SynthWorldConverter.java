package io.ccdstream.cli;

import io.ccdstream.data.synth.SynthWorld;
import picocli.CommandLine.ITypeConverter;

/** Parses a SynthScenes world by its id ({@code small-objects}, {@code voc-like}). */
final class SynthWorldConverter implements ITypeConverter<SynthWorld> {

    @Override
    public SynthWorld convert(String value) {
        return SynthWorld.parse(value);
    }
}
