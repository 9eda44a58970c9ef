package io.ccdstream.models;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;

/**
 * CLIP model directories shipped inside the jar, so that the pipeline runs with no download.
 * A bundled model is extracted to a directory before loading, because libtorch loads from files.
 * Each bundled model lists its files in {@code files.txt}.
 */
public final class BundledModels {

    /** The model the embedded default uses. */
    public static final String DEFAULT = "mini-clip";

    private static final String ROOT = "/io/ccdstream/models/";

    private BundledModels() {}

    /**
     * Extracts bundled model {@code name} into {@code targetDir}/{@code name} (replacing what is there)
     * and returns that directory.
     */
    public static Path extract(String name, Path targetDir) {
        List<String> files = read(name, "files.txt")
                .lines()
                .map(String::strip)
                .filter(l -> !l.isEmpty())
                .toList();
        Path dir = targetDir.resolve(name);
        try {
            Files.createDirectories(dir);
            for (String file : files) {
                try (InputStream in = open(name, file)) {
                    Files.copy(in, dir.resolve(file), StandardCopyOption.REPLACE_EXISTING);
                }
            }
            return dir;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot extract bundled model " + name + " to " + dir, e);
        }
    }

    private static String read(String name, String file) {
        try (InputStream in = open(name, file)) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * Opens one file of a bundled model, e.g. its {@code clip.json} or parameter file, without
     * extracting the model.
     *
     * @param name the bundled model, e.g. {@link #DEFAULT}
     * @param file the file name inside it
     * @return the stream; the caller closes it
     * @throws IOException if the jar has no such file
     */
    public static InputStream open(String name, String file) throws IOException {
        InputStream in = BundledModels.class.getResourceAsStream(ROOT + name + "/" + file);
        if (in == null) {
            throw new IOException("no bundled model file " + name + "/" + file + " in the classpath");
        }
        return in;
    }
}
