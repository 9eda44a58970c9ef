package io.ccdstream.streams.integration;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import io.ccdstream.schemas.Image;
import io.ccdstream.schemas.ImageKey;
import io.ccdstream.streams.StreamsRunner;
import io.ccdstream.streams.TestRecords;
import io.ccdstream.testsupport.TestCluster;
import io.ccdstream.topics.CcdTopics;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.LoggerFactory;

/**
 * A model far slower than the transaction timeout allows for a batch (250 ms per image, batches of
 * up to 16, a 3 s transaction timeout: a whole batch in one transaction would take 4 s): every image
 * is scored exactly once, no producer is fenced and no task migrated, the output never stalls; and
 * the same across a SIGKILL of the scorer while the model holds images in flight.
 */
class SlowModelIT {

    private static final int IMAGES = 200;
    private static final Duration PER_IMAGE = Duration.ofMillis(250);
    /** What the log says when a thread was fenced or dropped out of its group. */
    private static final Pattern FENCING = Pattern.compile(
            "TaskMigrated|ProducerFenced|InvalidProducerEpoch|fenced|missed a rebalance|dropped out of the consumer group",
            Pattern.CASE_INSENSITIVE);

    @TempDir
    Path dataDir;

    private TestCluster cluster;
    private final ListAppender<ILoggingEvent> log = new ListAppender<>();
    private final Logger root = (Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);

    @BeforeEach
    void start() {
        cluster = TestCluster.start(dataDir, 2);
    }

    @AfterEach
    void stop() {
        root.detachAppender(log);
        cluster.close();
    }

    private void watchLog() {
        log.list.clear();
        log.start();
        root.addAppender(log);
    }

    private List<String> fencingLines() {
        return log.list.stream()
                .filter(e -> e.getLevel().isGreaterOrEqual(Level.WARN))
                .map(e -> e.getFormattedMessage()
                        + (e.getThrowableProxy() == null
                                ? ""
                                : " " + e.getThrowableProxy().getClassName() + ": "
                                        + e.getThrowableProxy().getMessage()))
                .filter(line -> FENCING.matcher(line).find())
                .toList();
    }

    private void send(int count) {
        try (KafkaProducer<ImageKey, Image> producer = cluster.producer(
                CcdTopics.IMAGES.keySerde(cluster.serdes()).serializer(),
                CcdTopics.IMAGES.valueSerde(cluster.serdes()).serializer())) {
            for (int i = 0; i < count; i++) {
                String id = "slow-" + i;
                producer.send(new ProducerRecord<>(
                        CcdTopics.IMAGES.name(),
                        TestRecords.key(id),
                        TestRecords.inlineImage(id, "fine".getBytes(StandardCharsets.UTF_8))));
            }
        }
    }

    @Test
    void shouldScoreEveryImageOnceWithoutFencingWhenTheModelOutlastsTheTransactionTimeout() {
        watchLog();
        send(IMAGES);
        try (StreamsRunner scorer = SlowScorer.start(
                cluster.bootstrapServers(), cluster.registryUrl(), dataDir.resolve("state"), PER_IMAGE)) {
            CommittedScores result = CommittedScores.read(cluster, IMAGES, Duration.ofMinutes(3));

            assertThat(result.counts()).hasSize(IMAGES);
            assertThat(result.notExactlyOnce()).isEmpty();
            assertThat(fencingLines()).as("fenced or migrated").isEmpty();
            assertThat(scorer.rebalancesSinceRunning())
                    .as("rebalances after the first RUNNING")
                    .isZero();
            assertThat(scorer.isAlive()).isTrue();
            assertThat(result.longestGapMs())
                    .as("longest wait between two newly committed images (calls of 2 s at most)")
                    .isLessThan(10_000);
        }
    }

    @Test
    void shouldScoreEveryImageOnceAcrossASigkillWhileTheModelHoldsImagesInFlight() throws Exception {
        Path stateDir = dataDir.resolve("state-killed");
        send(IMAGES);
        Process child = startChild(stateDir);
        try {
            CommittedScores before = CommittedScores.read(cluster, 40, Duration.ofMinutes(2));
            assertThat(before.counts().size()).as("committed before the kill").isGreaterThanOrEqualTo(40);
            System.out.printf(
                    "killing the slow scorer with %d of %d images committed%n",
                    before.counts().size(), IMAGES);
        } finally {
            // at 250 ms per image the model is always busy with a batch: it dies holding images in flight
            child.destroyForcibly();
            assertThat(child.waitFor(30, TimeUnit.SECONDS)).isTrue();
        }

        watchLog();
        try (StreamsRunner restarted =
                SlowScorer.start(cluster.bootstrapServers(), cluster.registryUrl(), stateDir, PER_IMAGE)) {
            CommittedScores result = CommittedScores.read(cluster, IMAGES, Duration.ofMinutes(3));

            assertThat(result.counts()).hasSize(IMAGES);
            assertThat(result.notExactlyOnce()).isEmpty();
            assertThat(fencingLines())
                    .as("the restarted scorer fenced or migrated")
                    .isEmpty();
            assertThat(restarted.isAlive()).isTrue();
        }
    }

    private Process startChild(Path stateDir) throws Exception {
        return ChildJvm.start(
                SlowScorerChildMain.class,
                cluster.bootstrapServers(),
                cluster.registryUrl(),
                stateDir.toString(),
                Long.toString(PER_IMAGE.toMillis()));
    }
}
