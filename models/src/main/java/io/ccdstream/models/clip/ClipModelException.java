package io.ccdstream.models.clip;

/**
 * A CLIP model directory that cannot be used: missing files, an invalid {@code clip.json}, or a
 * TorchScript module without the expected methods. The message names the file and what to fix.
 */
public class ClipModelException extends Exception {

    private static final long serialVersionUID = 1L;

    /** @param message what is wrong and where */
    public ClipModelException(String message) {
        super(message);
    }

    /**
     * @param message what is wrong and where
     * @param cause the underlying failure
     */
    public ClipModelException(String message, Throwable cause) {
        super(message, cause);
    }
}
