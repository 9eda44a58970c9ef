package io.ccdstream.streams.bias;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.ccdstream.schemas.Bias;
import io.ccdstream.schemas.BiasWindowState;
import io.ccdstream.schemas.ClassSetKey;
import io.ccdstream.schemas.ImageKey;
import io.ccdstream.schemas.Scores;
import io.ccdstream.streams.TestRecords;
import io.ccdstream.streams.TopologyTestSupport;
import io.ccdstream.topics.CcdTopics;
import java.util.List;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TestOutputTopic;
import org.apache.kafka.streams.TopologyTestDriver;
import org.apache.kafka.streams.state.KeyValueStore;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class BiasTopologyTest {

    private TopologyTestSupport support;
    private TopologyTestDriver driver;
    private TestInputTopic<ImageKey, Scores> scores;
    private TestOutputTopic<ClassSetKey, Bias> bias;

    @BeforeEach
    void setUp() {
        support = new TopologyTestSupport();
        // window of 4 images in 2 buckets; publish once 2 images passed the entropy filter
        driver = support.driver(
                BiasTopology.build(support.serdes, new BiasSettings(4, 2, 2, 2.0)), BiasTopology.SERVICE);
        scores = driver.createInputTopic(
                CcdTopics.SCORES.name(),
                CcdTopics.SCORES.keySerde(support.serdes).serializer(),
                CcdTopics.SCORES.valueSerde(support.serdes).serializer());
        bias = driver.createOutputTopic(
                CcdTopics.BIAS.name(),
                CcdTopics.BIAS.keySerde(support.serdes).deserializer(),
                CcdTopics.BIAS.valueSerde(support.serdes).deserializer());
    }

    @AfterEach
    void tearDown() {
        driver.close();
        support.close();
    }

    private void score(String id, float... p) {
        scores.pipeInput(TestRecords.key(id), TestRecords.scores(id, List.of(p[0], p[1], p[2])));
    }

    @Test
    void shouldPublishAVersionedBiasEachTimeABucketFills() {
        score("a", 0.9f, 0.05f, 0.05f);
        assertThat(bias.isEmpty()).isTrue();
        score("b", 0.7f, 0.2f, 0.1f);
        // bucket of 2 full, 2 accepted: cat bias = (0.9 + 0.7) / 2 = 0.8, others never top-1: 1
        Bias first = bias.readValue();
        assertThat(first.getVersion()).isEqualTo(1);
        assertThat(first.getBias().get(0)).isCloseTo(0.8f, within(1e-6f));
        assertThat(first.getBias().subList(1, 3)).containsExactly(1f, 1f);
        assertThat(first.getTopOneCount()).containsExactly(2L, 0L, 0L);

        score("c", 0.1f, 0.6f, 0.3f);
        score("d", 0.1f, 0.2f, 0.7f);
        Bias second = bias.readValue();
        assertThat(second.getVersion()).isEqualTo(2);
        assertThat(second.getSamples()).isEqualTo(4);

        // two more images: the first bucket falls out of the window
        score("e", 0.2f, 0.7f, 0.1f);
        score("f", 0.1f, 0.8f, 0.1f);
        Bias third = bias.readValue();
        assertThat(third.getVersion()).isEqualTo(3);
        assertThat(third.getTopOneCount()).containsExactly(0L, 3L, 1L);
        assertThat(third.getBias().get(1)).isCloseTo((0.6f + 0.7f + 0.8f) / 3, within(1e-6f));
    }

    @Test
    void shouldCountAnImageOnceAndSkipTheBackfillsRescores() {
        score("a", 0.9f, 0.05f, 0.05f);
        Scores rescore = TestRecords.scores("a", List.of(0.9f, 0.05f, 0.05f));
        rescore.setRescore(true);
        scores.pipeInput(TestRecords.key("a"), rescore);
        assertThat(bias.isEmpty()).as("a re-score does not fill the bucket").isTrue();

        score("b", 0.7f, 0.2f, 0.1f);
        assertThat(bias.readValue().getBias().get(0)).isCloseTo(0.8f, within(1e-6f));
    }

    @Test
    void shouldNotPublishBeforeEnoughImagesPassTheEntropyFilter() {
        // one image is below minSamples (2): nothing is published, the window holds it
        score("a", 0.9f, 0.05f, 0.05f);
        assertThat(bias.isEmpty()).isTrue();
        KeyValueStore<ClassSetKey, BiasWindowState> store = driver.getKeyValueStore(BiasTopology.WINDOW_STORE);
        BiasWindowState state = store.get(new ClassSetKey(TestRecords.CLASS_SET));
        assertThat(state.getVersion()).isZero();
        assertThat(state.getBuckets().get(0).getSamples()).isEqualTo(1);
    }
}
