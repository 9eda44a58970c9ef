package io.ccdstream.models.classifier;

/**
 * A classifier that cannot be created or loaded: an unreadable TorchScript backbone, a checkpoint
 * whose checksum differs from the expected one, or a checkpoint whose header and parameters do not
 * agree. The message names the file and what is wrong.
 */
public class ClassifierException extends Exception {

    private static final long serialVersionUID = 1L;

    /** @param message what is wrong and where */
    public ClassifierException(String message) {
        super(message);
    }

    /**
     * @param message what is wrong and where
     * @param cause the underlying failure
     */
    public ClassifierException(String message, Throwable cause) {
        super(message, cause);
    }
}
