package io.ccdstream.streams.errors;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.ccdstream.registry.SchemaRegistryException;
import io.ccdstream.streams.metrics.PipelineMetrics;
import io.ccdstream.topics.DeadLetters;
import io.ccdstream.topics.PoisonRecordException;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.errors.DeserializationExceptionHandler;
import org.apache.kafka.streams.errors.ErrorHandlerContext;
import org.apache.kafka.streams.errors.ProcessingExceptionHandler;
import org.apache.kafka.streams.processor.TaskId;
import org.apache.kafka.streams.processor.api.Record;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class DeadLetterHandlerTest {

    private final DeadLetterHandler handler = new DeadLetterHandler();
    private final byte[] key = "k".getBytes(StandardCharsets.UTF_8);
    private final byte[] value = "not avro".getBytes(StandardCharsets.UTF_8);

    @BeforeEach
    void configure() {
        handler.configure(Map.of(StreamsConfig.ERRORS_DEAD_LETTER_QUEUE_TOPIC_NAME_CONFIG, "dlq"));
    }

    private ErrorHandlerContext context(String node) {
        Headers headers = new RecordHeaders();
        headers.add("trace", "t1".getBytes(StandardCharsets.UTF_8));
        return new ErrorHandlerContext() {
            public String topic() {
                return "ccd.images";
            }

            public int partition() {
                return 3;
            }

            public long offset() {
                return 42;
            }

            public Headers headers() {
                return headers;
            }

            public String processorNodeId() {
                return node;
            }

            public TaskId taskId() {
                return new TaskId(0, 3);
            }

            public long timestamp() {
                return 7;
            }

            public byte[] sourceRawKey() {
                return key;
            }

            public byte[] sourceRawValue() {
                return value;
            }
        };
    }

    @Test
    void shouldDeadLetterAnUndecodableRecordWithItsCoordinates() {
        DeserializationExceptionHandler.Response response = handler.handleError(
                context(null),
                new ConsumerRecord<>("ccd.images", 3, 42, key, value),
                new SerializationException("Unknown magic byte 0x6e"));

        assertThat(response.result()).isEqualTo(DeserializationExceptionHandler.Result.RESUME);
        ProducerRecord<byte[], byte[]> dead = response.deadLetterQueueRecords().get(0);
        assertThat(dead.topic()).isEqualTo("dlq");
        assertThat(dead.value()).isEqualTo(value);
        assertThat(DeadLetters.header(dead.headers(), DeadLetters.REASON)).isEqualTo(DeadLetterHandler.DESERIALIZATION);
        assertThat(DeadLetters.header(dead.headers(), DeadLetters.MESSAGE)).isEqualTo("Unknown magic byte 0x6e");
        assertThat(DeadLetters.header(dead.headers(), DeadLetters.TOPIC)).isEqualTo("ccd.images");
        assertThat(DeadLetters.header(dead.headers(), DeadLetters.PARTITION)).isEqualTo("3");
        assertThat(DeadLetters.header(dead.headers(), DeadLetters.OFFSET)).isEqualTo("42");
        assertThat(DeadLetters.header(dead.headers(), "trace")).isEqualTo("t1");
    }

    @Test
    void shouldFailRatherThanDiscardWhenTheRegistryIsUnreachable() {
        DeserializationExceptionHandler.Response response = handler.handleError(
                context(null),
                new ConsumerRecord<>("ccd.images", 3, 42, key, value),
                new SchemaRegistryException(
                        SchemaRegistryException.NO_RESPONSE,
                        SchemaRegistryException.NO_RESPONSE,
                        "connection refused"));

        assertThat(response.result()).isEqualTo(DeserializationExceptionHandler.Result.FAIL);
        assertThat(response.deadLetterQueueRecords()).isEmpty();
    }

    @Test
    void shouldDeadLetterAPoisonRecordWithItsReasonAndCause() {
        ProcessingExceptionHandler.Response response = handler.handleError(
                context("score-image"),
                new Record<>("k", "v", 7),
                new RuntimeException(
                        "wrapped",
                        new PoisonRecordException("IMAGE_CORRUPT", "bad png", new IllegalStateException("crc"))));

        assertThat(response.result()).isEqualTo(ProcessingExceptionHandler.Result.RESUME);
        Headers headers = response.deadLetterQueueRecords().get(0).headers();
        assertThat(DeadLetters.header(headers, DeadLetters.REASON)).isEqualTo("IMAGE_CORRUPT");
        assertThat(DeadLetters.header(headers, DeadLetters.MESSAGE)).isEqualTo("bad png <- IllegalStateException: crc");
        assertThat(DeadLetters.header(headers, DeadLetters.PROCESSOR)).isEqualTo("score-image");
        assertThat(response.deadLetterQueueRecords().get(0).key()).isEqualTo(key);
    }

    @Test
    void shouldFailOnABug() {
        ProcessingExceptionHandler.Response response = handler.handleError(
                context("score-image"), new Record<>("k", "v", 7), new NullPointerException("oops"));
        assertThat(response.result()).isEqualTo(ProcessingExceptionHandler.Result.FAIL);
    }

    @Test
    void shouldRequireTheDeadLetterTopic() {
        assertThatThrownBy(() -> new DeadLetterHandler().configure(Map.of()))
                .hasMessageContaining(StreamsConfig.ERRORS_DEAD_LETTER_QUEUE_TOPIC_NAME_CONFIG);
    }

    @Test
    void shouldCountDeadLettersByServiceAndReasonWhenGivenMetrics() {
        SimpleMeterRegistry registry = new SimpleMeterRegistry();
        DeadLetterHandler counting = new DeadLetterHandler();
        counting.configure(Map.of(
                StreamsConfig.ERRORS_DEAD_LETTER_QUEUE_TOPIC_NAME_CONFIG,
                "dlq",
                PipelineMetrics.CONFIG,
                new PipelineMetrics(registry),
                PipelineMetrics.SERVICE_CONFIG,
                "scorer"));

        counting.handleError(
                context("source"),
                new ConsumerRecord<>("ccd.images", 3, 42, key, value),
                new SerializationException("bad magic byte"));
        counting.handleError(
                context("score-images"),
                new Record<>("k", "v", 7),
                new RuntimeException(new PoisonRecordException("IMAGE_DECODE", "not an image")));
        counting.handleError(
                context("score-images"),
                new Record<>("k", "v", 7),
                new PoisonRecordException("IMAGE_DECODE", "not an image either"));

        assertThat(registry.get(PipelineMetrics.DEAD_LETTERS)
                        .tags("service", "scorer", "reason", DeadLetterHandler.DESERIALIZATION)
                        .counter()
                        .count())
                .isEqualTo(1.0);
        assertThat(registry.get(PipelineMetrics.DEAD_LETTERS)
                        .tags("service", "scorer", "reason", "IMAGE_DECODE")
                        .counter()
                        .count())
                .isEqualTo(2.0);
    }
}
