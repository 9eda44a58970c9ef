package io.ccdstream.testsupport;

import java.net.URISyntaxException;
import java.nio.file.Path;

/**
 * The tiny-clip test model: a CLIP-shaped TorchScript module with random weights and its Python
 * test vectors ({@code expected.json}), written by {@code test-support/src/main/python/make_tiny_clip.py}.
 * It is a fixture, not a model: it exists so that the CLIP facade can be tested offline.
 */
public final class TinyClip {

    private TinyClip() {
    }

    /** The model directory (clip.json, model.pt, tokenizer.json, expected.json). */
    public static Path modelDir() {
        try {
            return Path.of(TinyClip.class.getResource("/models/tiny-clip/clip.json").toURI()).getParent();
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }
}
