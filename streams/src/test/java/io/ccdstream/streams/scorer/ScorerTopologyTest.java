package io.ccdstream.streams.scorer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.ccdstream.schemas.Image;
import io.ccdstream.schemas.ImageKey;
import io.ccdstream.schemas.Scores;
import io.ccdstream.streams.CcdTopics;
import io.ccdstream.streams.TestRecords;
import io.ccdstream.streams.TopologyTestSupport;
import io.ccdstream.streams.errors.DeadLetters;
import io.ccdstream.streams.errors.PoisonRecordException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TestOutputTopic;
import org.apache.kafka.streams.TopologyTestDriver;
import org.apache.kafka.streams.test.TestRecord;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class ScorerTopologyTest {

    private TopologyTestSupport support;
    private TopologyTestDriver driver;
    private TestInputTopic<ImageKey, Image> images;
    private TestInputTopic<byte[], byte[]> rawImages;
    private TestOutputTopic<ImageKey, Scores> scores;
    private TestOutputTopic<byte[], byte[]> deadLetters;

    /** Scores an image by its first byte; "poison" content is refused, "bug" content is a bug. */
    private static Scores fakeScore(ImageKey key, Image image) {
        String content = StandardCharsets.UTF_8.decode(image.getData().duplicate()).toString();
        if (content.equals("poison")) {
            throw new PoisonRecordException("IMAGE_CORRUPT", "not an image: " + key.getImageId());
        }
        if (content.equals("bug")) {
            throw new IllegalStateException("a bug");
        }
        return TestRecords.scores(image.getImageId(), List.of(0.25f, 0.75f));
    }

    @BeforeEach
    void setUp() {
        support = new TopologyTestSupport();
        driver = support.driver(ScorerTopology.build(support.serdes, ScorerTopologyTest::fakeScore),
            ScorerTopology.SERVICE);
        images = driver.createInputTopic(CcdTopics.IMAGES.name(),
            CcdTopics.IMAGES.keySerde(support.serdes).serializer(),
            CcdTopics.IMAGES.valueSerde(support.serdes).serializer());
        rawImages = driver.createInputTopic(CcdTopics.IMAGES.name(), new ByteArraySerializer(),
            new ByteArraySerializer());
        scores = driver.createOutputTopic(CcdTopics.SCORES.name(),
            CcdTopics.SCORES.keySerde(support.serdes).deserializer(),
            CcdTopics.SCORES.valueSerde(support.serdes).deserializer());
        deadLetters = driver.createOutputTopic(CcdTopics.DEAD_LETTERS, new ByteArrayDeserializer(),
            new ByteArrayDeserializer());
    }

    @AfterEach
    void tearDown() {
        driver.close();
        support.close();
    }

    @Test
    void shouldScoreEachImageIntoTheScoresTopic() {
        images.pipeInput(TestRecords.key("a"), TestRecords.inlineImage("a", "fine".getBytes(StandardCharsets.UTF_8)));

        TestRecord<ImageKey, Scores> out = scores.readRecord();
        assertThat(out.key()).isEqualTo(TestRecords.key("a"));
        assertThat(out.value().getGlobal()).containsExactly(0.25f, 0.75f);
        assertThat(deadLetters.isEmpty()).isTrue();
    }

    @Test
    void shouldRoutePoisonImageToDeadLetterTopicAndContinue() {
        images.pipeInput(TestRecords.key("bad"), TestRecords.inlineImage("bad", "poison".getBytes(StandardCharsets.UTF_8)));
        images.pipeInput(TestRecords.key("good"), TestRecords.inlineImage("good", "fine".getBytes(StandardCharsets.UTF_8)));

        List<TestRecord<byte[], byte[]>> dead = deadLetters.readRecordsToList();
        assertThat(dead).hasSize(1);
        assertThat(DeadLetters.header(dead.get(0).headers(), DeadLetters.REASON)).isEqualTo("IMAGE_CORRUPT");
        assertThat(DeadLetters.header(dead.get(0).headers(), DeadLetters.MESSAGE)).contains("not an image: bad");
        assertThat(DeadLetters.header(dead.get(0).headers(), DeadLetters.TOPIC)).isEqualTo(CcdTopics.IMAGES.name());
        assertThat(DeadLetters.header(dead.get(0).headers(), DeadLetters.OFFSET)).isEqualTo("0");
        // the dead letter keeps the original bytes: it can be replayed after a fix
        assertThat(CcdTopics.IMAGES.valueSerde(support.serdes).deserializer()
            .deserialize(CcdTopics.IMAGES.name(), dead.get(0).value()).getImageId()).isEqualTo("bad");
        assertThat(scores.readKeyValuesToList()).extracting(kv -> kv.key.getImageId()).containsExactly("good");
    }

    @Test
    void shouldSkipNonAvroValueAndContinue() {
        // TopologyTestDriver does not forward deserialization dead letters: their content is checked in
        // DeadLetterHandlerTest and on a real broker in PipelineIntegrationTest
        byte[] key = CcdTopics.IMAGES.keySerde(support.serdes).serializer()
            .serialize(CcdTopics.IMAGES.name(), TestRecords.key("x"));
        rawImages.pipeInput(key, "{\"json\":true}".getBytes(StandardCharsets.UTF_8));
        images.pipeInput(TestRecords.key("good"), TestRecords.inlineImage("good", "fine".getBytes(StandardCharsets.UTF_8)));

        assertThat(scores.readKeyValuesToList()).extracting(kv -> kv.key.getImageId()).containsExactly("good");
    }

    @Test
    void shouldStopOnABugRatherThanHideItInTheDeadLetterTopic() {
        assertThatThrownBy(() -> images.pipeInput(TestRecords.key("b"),
            TestRecords.inlineImage("b", "bug".getBytes(StandardCharsets.UTF_8))))
            .hasStackTraceContaining("a bug");
        assertThat(deadLetters.isEmpty()).isTrue();
    }
}
