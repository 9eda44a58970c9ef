package io.ccdstream.embedded;

/** Thrown when the embedded broker cannot prepare its storage, start, or become ready. */
public class EmbeddedKafkaException extends RuntimeException {

    /**
     * Creates the exception.
     *
     * @param message what failed, with the directory or address involved
     */
    public EmbeddedKafkaException(String message) {
        super(message);
    }

    /**
     * Creates the exception.
     *
     * @param message what failed, with the directory or address involved
     * @param cause   the underlying failure
     */
    public EmbeddedKafkaException(String message, Throwable cause) {
        super(message, cause);
    }
}
