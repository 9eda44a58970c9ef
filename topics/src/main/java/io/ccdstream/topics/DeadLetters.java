package io.ccdstream.topics;

import java.nio.charset.StandardCharsets;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.header.internals.RecordHeaders;

/**
 * Builds dead-letter records: the poison record's raw key and value, with headers that say why
 * and where it came from. Header names are those of Kafka Streams' own dead-letter queue
 * (KIP-1034), plus {@link #REASON} with a machine-readable code.
 */
public final class DeadLetters {

    /** Machine-readable reason code, e.g. {@code IMAGE_CORRUPT} or {@code DESERIALIZATION}. */
    public static final String REASON = "ccd.dlq.reason";
    /** Class name of the exception. */
    public static final String EXCEPTION = "__streams.errors.exception";
    /** Human-readable message of the exception. */
    public static final String MESSAGE = "__streams.errors.message";
    /** Source topic of the poison record. */
    public static final String TOPIC = "__streams.errors.topic";
    /** Source partition of the poison record. */
    public static final String PARTITION = "__streams.errors.partition";
    /** Source offset of the poison record. */
    public static final String OFFSET = "__streams.errors.offset";
    /** Processor node that failed (absent for deserialization failures). */
    public static final String PROCESSOR = "ccd.dlq.processor";

    private DeadLetters() {}

    /**
     * The dead-letter headers of a record from {@code topic}-{@code partition}@{@code offset}.
     *
     * @param original  the record's own headers, kept
     * @param processor the failing processor node, or null
     */
    public static Headers headers(
            Iterable<org.apache.kafka.common.header.Header> original,
            String reason,
            Exception exception,
            String topic,
            int partition,
            long offset,
            String processor) {
        Headers headers = new RecordHeaders();
        original.forEach(headers::add);
        put(headers, REASON, reason);
        put(headers, EXCEPTION, exception.getClass().getName());
        put(headers, MESSAGE, describe(exception));
        put(headers, TOPIC, topic);
        put(headers, PARTITION, Integer.toString(partition));
        put(headers, OFFSET, Long.toString(offset));
        if (processor != null) {
            put(headers, PROCESSOR, processor);
        }
        return headers;
    }

    /** Where a dead letter's record came from, {@code topic-partition@offset}, from its headers. */
    public static String source(Headers headers) {
        return header(headers, TOPIC) + "-" + header(headers, PARTITION) + "@" + header(headers, OFFSET);
    }

    /** The value of a header as text, or null. */
    public static String header(Headers headers, String name) {
        var header = headers.lastHeader(name);
        return header == null || header.value() == null ? null : new String(header.value(), StandardCharsets.UTF_8);
    }

    private static void put(Headers headers, String name, String value) {
        headers.remove(name);
        headers.add(name, value == null ? null : value.getBytes(StandardCharsets.UTF_8));
    }

    private static String describe(Throwable exception) {
        StringBuilder text = new StringBuilder(String.valueOf(exception.getMessage()));
        for (Throwable cause = exception.getCause();
                cause != null && cause != cause.getCause();
                cause = cause.getCause()) {
            if (cause.getMessage() != null && text.indexOf(cause.getMessage()) >= 0) {
                continue; // already said
            }
            text.append(" <- ")
                    .append(cause.getClass().getSimpleName())
                    .append(": ")
                    .append(cause.getMessage());
        }
        return text.toString();
    }
}
