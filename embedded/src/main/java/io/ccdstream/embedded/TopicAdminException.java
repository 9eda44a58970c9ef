package io.ccdstream.embedded;

/** Thrown when a topic cannot be created, described or reconfigured; the message names the topic. */
public class TopicAdminException extends RuntimeException {

    /** The topic the failed operation was about. */
    private final String topic;

    /**
     * Creates the exception.
     *
     * @param topic   the topic the failed operation was about
     * @param message what failed
     * @param cause   the underlying failure
     */
    public TopicAdminException(String topic, String message, Throwable cause) {
        super(message, cause);
        this.topic = topic;
    }

    /**
     * The topic the failed operation was about.
     *
     * @return the topic name
     */
    public String topic() {
        return topic;
    }
}
