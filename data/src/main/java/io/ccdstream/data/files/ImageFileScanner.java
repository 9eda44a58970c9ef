package io.ccdstream.data.files;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.FileSystems;
import java.nio.file.FileVisitOption;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.PathMatcher;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.stream.Stream;

/**
 * Finds the image files under files and folders (folders recursively, symbolic links not followed).
 * A file is a candidate when its extension is one the image decoder reads ({@code .jpg},
 * {@code .jpeg}, {@code .png}, any case); {@code includes} and {@code excludes} are glob patterns
 * ({@link java.nio.file.FileSystem#getPathMatcher} syntax) matched against the path relative to the
 * root (a pattern without {@code /} against the file name alone). With includes, a candidate must
 * match one; it must match no exclude. Results are sorted by root, then relative path.
 */
public final class ImageFileScanner {

    /** Extensions of the formats the image decoder accepts (JPEG, PNG). */
    public static final Set<String> EXTENSIONS = Set.of("jpg", "jpeg", "png");

    private final List<PathMatcher> includes;
    private final List<PathMatcher> excludes;
    private final List<Boolean> includeOnName;
    private final List<Boolean> excludeOnName;

    /** A scanner with these glob filters (either list may be empty). */
    public ImageFileScanner(List<String> includes, List<String> excludes) {
        this.includes = includes.stream().map(ImageFileScanner::matcher).toList();
        this.excludes = excludes.stream().map(ImageFileScanner::matcher).toList();
        this.includeOnName = includes.stream().map(g -> !g.contains("/")).toList();
        this.excludeOnName = excludes.stream().map(g -> !g.contains("/")).toList();
    }

    /**
     * The image files under {@code roots}. A root that is a file is its own root's only file, with its
     * file name as relative path.
     *
     * @throws IllegalArgumentException when a root does not exist
     */
    public List<ImageFile> scan(List<Path> roots) {
        List<ImageFile> found = new ArrayList<>();
        for (Path given : roots) {
            Path root = given.toAbsolutePath().normalize();
            if (!Files.exists(root)) {
                throw new IllegalArgumentException("no such file or directory: " + given);
            }
            if (Files.isRegularFile(root)) {
                addIfWanted(found, root.getParent(), root);
                continue;
            }
            try (Stream<Path> files =
                    Files.find(root, Integer.MAX_VALUE, (p, a) -> a.isRegularFile(), new FileVisitOption[0])) {
                files.sorted().forEach(file -> addIfWanted(found, root, file));
            } catch (IOException e) {
                throw new UncheckedIOException("cannot list " + root + ": " + e.getMessage(), e);
            } catch (UncheckedIOException e) {
                throw new UncheckedIOException(
                        "cannot list " + root + ": " + e.getCause().getMessage(), e.getCause());
            }
        }
        found.sort(Comparator.comparing((ImageFile f) -> f.root().toString()).thenComparing(ImageFile::relative));
        return found;
    }

    /** Whether {@code relative} (a root-relative path with {@code /}) passes the extension and glob filters. */
    public boolean wanted(String relative) {
        String name = relative.substring(relative.lastIndexOf('/') + 1);
        int dot = name.lastIndexOf('.');
        if (dot < 0 || !EXTENSIONS.contains(name.substring(dot + 1).toLowerCase(Locale.ROOT))) {
            return false;
        }
        Path rel = Path.of(relative);
        Path fileName = Path.of(name);
        boolean included = includes.isEmpty();
        for (int i = 0; i < includes.size() && !included; i++) {
            included = includes.get(i).matches(includeOnName.get(i) ? fileName : rel);
        }
        for (int i = 0; i < excludes.size() && included; i++) {
            included = !excludes.get(i).matches(excludeOnName.get(i) ? fileName : rel);
        }
        return included;
    }

    private void addIfWanted(List<ImageFile> found, Path root, Path file) {
        String relative =
                root.relativize(file).toString().replace(file.getFileSystem().getSeparator(), "/");
        if (!wanted(relative)) {
            return;
        }
        try {
            BasicFileAttributes attributes = Files.readAttributes(file, BasicFileAttributes.class);
            found.add(new ImageFile(
                    root,
                    file,
                    relative,
                    attributes.size(),
                    attributes.lastModifiedTime().toInstant()));
        } catch (IOException e) {
            // vanished between listing and reading: the next scan decides
        }
    }

    private static PathMatcher matcher(String glob) {
        return FileSystems.getDefault().getPathMatcher("glob:" + glob);
    }
}
