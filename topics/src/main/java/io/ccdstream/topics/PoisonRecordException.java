package io.ccdstream.topics;

/**
 * A record that cannot be processed because of what it contains, not because of a bug: it goes to
 * the dead-letter topic with {@link #reason()} and processing continues. Any other exception
 * thrown by a processor stops the application.
 */
public class PoisonRecordException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    private final String reason;

    /**
     * @param reason  a short machine-readable code, e.g. {@code IMAGE_CORRUPT}
     * @param message what is wrong with the record, for a person reading the dead-letter topic
     */
    public PoisonRecordException(String reason, String message) {
        super(message);
        this.reason = reason;
    }

    /** Same, keeping the exception that revealed the problem. */
    public PoisonRecordException(String reason, String message, Throwable cause) {
        super(message, cause);
        this.reason = reason;
    }

    /** Machine-readable reason code. */
    public String reason() {
        return reason;
    }
}
