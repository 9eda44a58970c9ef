package io.ccdstream.streams.alerts;

import static org.assertj.core.api.Assertions.assertThat;

import io.ccdstream.schemas.Alert;
import io.ccdstream.schemas.AlertKind;
import io.ccdstream.schemas.ClassSetKey;
import io.ccdstream.schemas.ImageKey;
import io.ccdstream.schemas.Scores;
import io.ccdstream.streams.TestRecords;
import io.ccdstream.streams.TopologyTestSupport;
import io.ccdstream.topics.CcdTopics;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TestOutputTopic;
import org.apache.kafka.streams.TopologyTestDriver;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class DriftTopologyTest {

    private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
    private final AtomicLong deadLetters = new AtomicLong();
    private TopologyTestSupport support;
    private TopologyTestDriver driver;
    private TestInputTopic<ImageKey, Scores> scores;
    private TestOutputTopic<ClassSetKey, Alert> alerts;

    @BeforeEach
    void setUp() {
        support = new TopologyTestSupport();
        driver = support.driver(
                DriftTopology.build(
                        support.serdes, new DriftSettings(2, 2, 0.25, 0.1, 0.3, 0.05), deadLetters::get, registry),
                DriftTopology.SERVICE);
        scores = driver.createInputTopic(
                CcdTopics.SCORES.name(),
                CcdTopics.SCORES.keySerde(support.serdes).serializer(),
                CcdTopics.SCORES.valueSerde(support.serdes).serializer());
        alerts = driver.createOutputTopic(
                CcdTopics.ALERTS.name(),
                CcdTopics.ALERTS.keySerde(support.serdes).deserializer(),
                CcdTopics.ALERTS.valueSerde(support.serdes).deserializer());
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
    void shouldWriteAnAlertAndCountItWhenTheClassMixMoves() {
        // Given two windows of two images whose top class is the first
        for (int i = 0; i < 4; i++) {
            score("a" + i, 0.6f, 0.2f, 0.2f);
        }
        assertThat(alerts.isEmpty()).isTrue();

        // When a window's top class is the third, with dead letters written meanwhile
        deadLetters.set(3);
        score("b0", 0.2f, 0.2f, 0.6f);
        score("b1", 0.2f, 0.2f, 0.6f);

        // Then the alerts are written (the window state survived the store round trip) and counted
        List<Alert> raised = alerts.readValuesToList();
        assertThat(raised)
                .extracting(Alert::getKind)
                .containsExactlyInAnyOrder(AlertKind.LABEL_DISTRIBUTION, AlertKind.DEAD_LETTER_SHARE);
        assertThat(raised.get(0).getWindow()).isEqualTo(3);
        assertThat(registry.get(DriftTopology.ALERTS_METRIC)
                        .tag("kind", "label_distribution")
                        .counter()
                        .count())
                .isEqualTo(1.0);
    }
}
