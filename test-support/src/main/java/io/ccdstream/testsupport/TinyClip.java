package io.ccdstream.testsupport;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;

/**
 * The tiny-clip test model: a CLIP-shaped TorchScript module with random weights and its Python
 * test vectors ({@code expected.json}), written by {@code test-support/src/main/python/make_tiny_clip.py}.
 * It is a fixture, not a model: it exists so that the CLIP facade can be tested offline.
 */
public final class TinyClip {

    private static final String ROOT = "/models/tiny-clip/";
    private static final List<String> FILES =
            List.of("clip.json", "model.pt", "tokenizer.json", "expected.json", "README.md");

    private static Path dir;

    private TinyClip() {}

    /**
     * The model directory (clip.json, model.pt, tokenizer.json, expected.json). libtorch loads from
     * files, so the fixture is copied out of the test-support jar once per JVM.
     */
    public static synchronized Path modelDir() {
        if (dir == null) {
            dir = extract();
        }
        return dir;
    }

    private static Path extract() {
        try {
            Path target = Files.createTempDirectory("tiny-clip");
            for (String file : FILES) {
                try (InputStream in = TinyClip.class.getResourceAsStream(ROOT + file)) {
                    if (in == null) {
                        throw new IllegalStateException("no " + ROOT + file + " in the classpath");
                    }
                    Files.copy(in, target.resolve(file), StandardCopyOption.REPLACE_EXISTING);
                }
            }
            return target;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot copy the tiny-clip fixture", e);
        }
    }
}
