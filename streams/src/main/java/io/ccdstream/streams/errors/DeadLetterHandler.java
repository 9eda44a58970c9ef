package io.ccdstream.streams.errors;

import io.ccdstream.streams.metrics.PipelineMetrics;
import io.ccdstream.topics.DeadLetters;
import io.ccdstream.topics.PoisonRecordException;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.errors.DeserializationExceptionHandler;
import org.apache.kafka.streams.errors.ErrorHandlerContext;
import org.apache.kafka.streams.errors.ProcessingExceptionHandler;
import org.apache.kafka.streams.processor.api.Record;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Sends poison records to the dead-letter topic named by
 * {@code errors.dead.letter.queue.topic.name} and lets processing continue.
 *
 * <p>A record that cannot be deserialized (not Avro, unknown schema id: a
 * {@link SerializationException}) is poison; a failure to reach the schema registry is not, and
 * stops the application rather than discarding good records. During
 * processing only a {@link PoisonRecordException} is: anything else is a bug and stops the
 * application, so that it is seen and fixed rather than quietly filling the dead-letter topic.
 * Kafka Streams counts every record this handler resumes past in its {@code dropped-records}
 * task metric.
 */
public class DeadLetterHandler implements DeserializationExceptionHandler, ProcessingExceptionHandler {

    /** Reason code of records that could not be deserialized. */
    public static final String DESERIALIZATION = "DESERIALIZATION";

    private static final Logger LOG = LoggerFactory.getLogger(DeadLetterHandler.class);

    private String dlqTopic;
    private PipelineMetrics metrics;
    private String service;

    @Override
    public void configure(Map<String, ?> configs) {
        Object topic = configs.get(StreamsConfig.ERRORS_DEAD_LETTER_QUEUE_TOPIC_NAME_CONFIG);
        if (topic == null || topic.toString().isBlank()) {
            throw new IllegalArgumentException(StreamsConfig.ERRORS_DEAD_LETTER_QUEUE_TOPIC_NAME_CONFIG
                    + " must name the dead-letter topic for " + getClass().getSimpleName());
        }
        dlqTopic = topic.toString();
        // counted when the pipeline passes its metrics in the streams properties
        if (configs.get(PipelineMetrics.CONFIG) instanceof PipelineMetrics given) {
            metrics = given;
            Object name = configs.get(PipelineMetrics.SERVICE_CONFIG);
            service = name == null ? String.valueOf(configs.get(StreamsConfig.APPLICATION_ID_CONFIG)) : name.toString();
        }
    }

    @Override
    public DeserializationExceptionHandler.Response handleError(
            ErrorHandlerContext context, ConsumerRecord<byte[], byte[]> record, Exception exception) {
        if (!(exception instanceof SerializationException)) {
            // e.g. the schema registry is unreachable: the record may be fine, so do not discard it
            LOG.error(
                    "Cannot deserialize {}-{}@{} for a reason other than its content",
                    context.topic(),
                    context.partition(),
                    context.offset(),
                    exception);
            return DeserializationExceptionHandler.Response.fail();
        }
        LOG.warn(
                "Skipping undecodable record from {}-{}@{}: {}",
                context.topic(),
                context.partition(),
                context.offset(),
                exception.getMessage());
        count(DESERIALIZATION);
        return DeserializationExceptionHandler.Response.resume(
                deadLetter(dlqTopic, DESERIALIZATION, context, record.key(), record.value(), exception));
    }

    @Override
    public ProcessingExceptionHandler.Response handleError(
            ErrorHandlerContext context, Record<?, ?> record, Exception exception) {
        PoisonRecordException poison = poisonCause(exception);
        if (poison == null) {
            LOG.error(
                    "Processing bug at {}-{}@{} in {}",
                    context.topic(),
                    context.partition(),
                    context.offset(),
                    context.processorNodeId(),
                    exception);
            return ProcessingExceptionHandler.Response.fail();
        }
        LOG.warn(
                "Skipping poison record from {}-{}@{} ({}): {}",
                context.topic(),
                context.partition(),
                context.offset(),
                poison.reason(),
                poison.getMessage());
        count(poison.reason());
        return ProcessingExceptionHandler.Response.resume(deadLetter(
                dlqTopic, poison.reason(), context, context.sourceRawKey(), context.sourceRawValue(), poison));
    }

    private void count(String reason) {
        if (metrics != null) {
            metrics.deadLetter(service, reason);
        }
    }

    /** One dead-letter record for the record of {@code context}. */
    private static List<ProducerRecord<byte[], byte[]>> deadLetter(
            String dlqTopic,
            String reason,
            ErrorHandlerContext context,
            byte[] key,
            byte[] value,
            Exception exception) {
        Headers headers = DeadLetters.headers(
                context.headers(),
                reason,
                exception,
                context.topic(),
                context.partition(),
                context.offset(),
                context.processorNodeId());
        return List.of(new ProducerRecord<>(dlqTopic, null, key, value, headers));
    }

    private static PoisonRecordException poisonCause(Throwable exception) {
        for (Throwable t = exception; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t instanceof PoisonRecordException poison) {
                return poison;
            }
        }
        return null;
    }
}
