package io.ccdstream.registry;

/**
 * Confluent's default subject naming: a topic's keys live under {@code <topic>-key} and its
 * values under {@code <topic>-value}.
 */
public final class TopicNameStrategy {

    private TopicNameStrategy() {}

    /**
     * @param topic the topic
     * @param isKey whether the schema is the key's
     * @return the subject, e.g. {@code ccd.labels-value}
     */
    public static String subjectName(String topic, boolean isKey) {
        return topic + (isKey ? "-key" : "-value");
    }
}
