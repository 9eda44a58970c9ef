package io.ccdstream.embedded;

import static org.assertj.core.api.Assertions.assertThat;

import io.ccdstream.topics.TopicSpec;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Kills a broker process with SIGKILL and restarts on its directory in this JVM. */
class UncleanKillRecoveryIT {

    private static final int RECORDS = 200;
    private static final String TOPIC = "survivors";
    private static final Duration CHILD_TIMEOUT = Duration.ofSeconds(90);

    @TempDir
    Path dataDir;

    @Test
    void shouldRecoverAcknowledgedRecordsAfterBrokerProcessIsKilled() throws Exception {
        // Given: a broker in another JVM acknowledged every record
        Process child = launchChild();
        try {
            ChildOutput output = new ChildOutput(child);
            output.awaitLineStartingWith(ChildBrokerMain.ACKED_LINE, CHILD_TIMEOUT);
            // When
            child.destroyForcibly();
            assertThat(child.waitFor(30, TimeUnit.SECONDS))
                    .as("killed child exited")
                    .isTrue();
        } finally {
            child.destroyForcibly();
        }
        // Then: no clean-shutdown marker, so Kafka has to recover the logs, and every record is back
        assertThat(dataDir.resolve(".kafka_cleanshutdown")).doesNotExist();
        try (EmbeddedKafkaBroker broker = EmbeddedKafkaBroker.start(
                EmbeddedKafkaConfig.builder().setDataDir(dataDir).build())) {
            assertThat(TestClients.consumeAll(broker.bootstrapServers(), TOPIC, RECORDS, "read_uncommitted"))
                    .containsExactlyElementsOf(TestClients.values(TOPIC, RECORDS));
        }
    }

    @Test
    void shouldLeaveCleanShutdownMarkerOnClose() {
        // Guards the marker name asserted above: if a clean close did not leave it, that assertion would prove nothing.
        try (EmbeddedKafkaBroker broker = EmbeddedKafkaBroker.start(
                EmbeddedKafkaConfig.builder().setDataDir(dataDir).build())) {
            TopicAdmin.ensureTopics(broker.bootstrapServers(), List.of(new TopicSpec("t", 1, (short) 1, Map.of())));
        }
        assertThat(dataDir.resolve(".kafka_cleanshutdown")).exists();
    }

    private Process launchChild() throws IOException {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        return new ProcessBuilder(
                        java,
                        "-Xmx256m",
                        "-XX:+UseSerialGC",
                        "-XX:TieredStopAtLevel=1",
                        "-cp",
                        System.getProperty("java.class.path"),
                        ChildBrokerMain.class.getName(),
                        dataDir.toString(),
                        "0",
                        TOPIC,
                        Integer.toString(RECORDS))
                .redirectErrorStream(true)
                .start();
    }

    /** Drains the child's output on a daemon thread so that the child never blocks on a full pipe. */
    private static final class ChildOutput {
        private static final String EOF = "\u0000EOF";
        private final BlockingQueue<String> lines = new LinkedBlockingQueue<>();
        private final StringBuilder transcript = new StringBuilder();

        ChildOutput(Process process) {
            Thread drainer = new Thread(() -> drain(process), "child-broker-output");
            drainer.setDaemon(true);
            drainer.start();
        }

        private void drain(Process process) {
            try (BufferedReader reader =
                    new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
                for (String line = reader.readLine(); line != null; line = reader.readLine()) {
                    lines.add(line);
                }
            } catch (IOException e) {
                lines.add("output unreadable: " + e);
            } finally {
                lines.add(EOF);
            }
        }

        String awaitLineStartingWith(String prefix, Duration timeout) throws InterruptedException {
            long deadline = System.nanoTime() + timeout.toNanos();
            while (true) {
                String line = lines.poll(deadline - System.nanoTime(), TimeUnit.NANOSECONDS);
                if (line == null || EOF.equals(line)) {
                    throw new AssertionError("Child broker never printed '" + prefix.strip() + "' ("
                            + (line == null ? "timed out after " + timeout : "it exited") + "); output:\n"
                            + transcript);
                }
                transcript.append(line).append('\n');
                if (line.startsWith(prefix)) {
                    return line;
                }
            }
        }
    }
}
