package io.ccdstream.data.datasets;

import java.nio.file.Path;

/**
 * A dataset on disk that cannot be loaded: a missing root, folder or file, or a file whose content
 * is not what the dataset's layout promises. The message names the dataset, the file and, where
 * it helps, the line or entry, and says what was expected, so that a user can fix the data.
 *
 * <p>Unchecked: loading happens once, before any work, and there is nothing a caller can do with
 * an incomplete dataset but report it.
 */
public class DatasetException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    /**
     * @param message a sentence a user can act on
     */
    public DatasetException(String message) {
        super(message);
    }

    /**
     * @param message a sentence a user can act on
     * @param cause the parser's or the file system's exception
     */
    public DatasetException(String message, Throwable cause) {
        super(message, cause);
    }

    /** @return {@code "FILE line N: problem"}, the prefix for content errors */
    static String at(Path file, long line, String problem) {
        return file + " line " + line + ": " + problem;
    }
}
