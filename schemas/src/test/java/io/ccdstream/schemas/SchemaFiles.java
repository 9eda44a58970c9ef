package io.ccdstream.schemas;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.apache.avro.Schema;

/** Parses a directory of .avsc files the way the avro-maven-plugin does: shared types in common/ first. */
final class SchemaFiles {

    static final Path CURRENT = Path.of("src/main/avro");
    static final Path RELEASED = Path.of("released");

    private SchemaFiles() {}

    /** Top-level schemas of the directory, by full name; types in common/ are resolved but not listed. */
    static Map<String, Schema> parseTopLevel(Path dir) {
        Schema.Parser parser = new Schema.Parser();
        for (Path file : avscFiles(dir.resolve("common"))) {
            parse(parser, file);
        }
        Map<String, Schema> topLevel = new LinkedHashMap<>();
        for (Path file : avscFiles(dir)) {
            Schema schema = parse(parser, file);
            topLevel.put(schema.getFullName(), schema);
        }
        return topLevel;
    }

    /** Released version directories, oldest first. */
    static List<Path> releasedVersions() {
        try (Stream<Path> dirs = Files.list(RELEASED)) {
            return dirs.filter(Files::isDirectory)
                    .sorted(Comparator.comparingInt(
                            p -> Integer.parseInt(p.getFileName().toString())))
                    .toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static List<Path> avscFiles(Path dir) {
        if (!Files.isDirectory(dir)) {
            return List.of();
        }
        try (Stream<Path> files = Files.list(dir)) {
            return new ArrayList<>(
                    files.filter(p -> p.toString().endsWith(".avsc")).sorted().toList());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static Schema parse(Schema.Parser parser, Path file) {
        try {
            return parser.parse(file.toFile());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file, e);
        }
    }
}
