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
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
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

    /** Committed scores per image id, once {@code expected} ids are in; and the longest gap between new ids. */
    private record Committed(Map<String, Integer> counts, long longestGapMs) {
        List<String> notExactlyOnce() {
            List<String> wrong = new ArrayList<>();
            counts.forEach((id, n) -> {
                if (n != 1) {
                    wrong.add(id + " x" + n);
                }
            });
            return wrong;
        }
    }

    private Committed committed(int expected, Duration timeout) {
        Map<String, Integer> counts = new HashMap<>();
        long[] last = {0};
        long[] gap = {0};
        cluster.read(
                CcdTopics.SCORES.name(),
                CcdTopics.SCORES.keySerde(cluster.serdes()).deserializer(),
                CcdTopics.SCORES.valueSerde(cluster.serdes()).deserializer(),
                r -> {
                    if (counts.merge(r.key().getImageId(), 1, Integer::sum) == 1) {
                        long now = System.nanoTime() / 1_000_000;
                        if (last[0] > 0) {
                            gap[0] = Math.max(gap[0], now - last[0]);
                        }
                        last[0] = now;
                    }
                },
                () -> counts.size() >= expected,
                timeout);
        // a little longer, so that a duplicate written late would be seen
        cluster.read(
                CcdTopics.SCORES.name(),
                CcdTopics.SCORES.keySerde(cluster.serdes()).deserializer(),
                CcdTopics.SCORES.valueSerde(cluster.serdes()).deserializer(),
                r -> {},
                () -> false,
                Duration.ofSeconds(1));
        return new Committed(counts, gap[0]);
    }

    @Test
    void shouldScoreEveryImageOnceWithoutFencingWhenTheModelOutlastsTheTransactionTimeout() {
        watchLog();
        send(IMAGES);
        try (StreamsRunner scorer = SlowScorer.start(
                cluster.bootstrapServers(), cluster.registryUrl(), dataDir.resolve("state"), PER_IMAGE)) {
            Committed result = committed(IMAGES, Duration.ofMinutes(3));

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
            Committed before = committed(40, Duration.ofMinutes(2));
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
            Committed result = committed(IMAGES, Duration.ofMinutes(3));

            assertThat(result.counts()).hasSize(IMAGES);
            assertThat(result.notExactlyOnce()).isEmpty();
            assertThat(fencingLines())
                    .as("the restarted scorer fenced or migrated")
                    .isEmpty();
            assertThat(restarted.isAlive()).isTrue();
        }
    }

    private Process startChild(Path stateDir) throws Exception {
        ProcessBuilder builder = new ProcessBuilder(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx512m",
                "-cp",
                System.getProperty("java.class.path"),
                SlowScorerChildMain.class.getName(),
                cluster.bootstrapServers(),
                cluster.registryUrl(),
                stateDir.toString(),
                Long.toString(PER_IMAGE.toMillis()));
        builder.redirectErrorStream(true);
        Process child = builder.start();
        BufferedReader out = new BufferedReader(new InputStreamReader(child.getInputStream(), StandardCharsets.UTF_8));
        long deadline = System.nanoTime() + Duration.ofMinutes(1).toNanos();
        String line;
        while ((line = out.readLine()) != null && System.nanoTime() < deadline) {
            if (line.equals("READY")) {
                Thread drain = new Thread(() -> out.lines().forEach(System.out::println));
                drain.setDaemon(true);
                drain.start();
                return child;
            }
        }
        child.destroyForcibly();
        throw new IllegalStateException("the child scorer did not start");
    }
}
