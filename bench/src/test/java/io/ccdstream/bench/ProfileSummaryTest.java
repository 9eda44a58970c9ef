package io.ccdstream.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import jdk.jfr.Recording;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ProfileSummaryTest {

    @Test
    void shouldNameTheServiceOfKafkaStreamsTrainerAndBrokerThreads() {
        // Given / When / Then
        assertThat(ProfileSummary.service("ccd-labeler-6f1c-StreamThread-1")).isEqualTo("labeler (stream thread)");
        assertThat(ProfileSummary.service("kafka-producer-network-thread | ccd-scorer-6f1c-StreamThread-1-producer"))
                .isEqualTo("scorer (producer network)");
        assertThat(ProfileSummary.service("bench-3-bias-9a0e-StreamThread-2")).isEqualTo("bias (stream thread)");
        assertThat(ProfileSummary.service("ccd-scorer-model-0_1")).isEqualTo("scorer (model lane)");
        assertThat(ProfileSummary.service("ccd-trainer")).isEqualTo("trainer");
        assertThat(ProfileSummary.service("ccd-trainer-prefetch")).isEqualTo("trainer (prefetch)");
        assertThat(ProfileSummary.service("data-plane-kafka-request-handler-0")).isEqualTo("broker");
        assertThat(ProfileSummary.service("bench-direct")).isEqualTo("bench (direct runs)");
    }

    @Test
    void shouldAttributeTheSamplesOfABusyThreadToItsServiceAndCategory(@TempDir Path dir) throws Exception {
        // Given: a recording while a thread named as a labeler stream thread sorts arrays
        Path file = dir.resolve("test.jfr");
        try (Recording recording = new Recording()) {
            recording.enable("jdk.ExecutionSample").withPeriod(Duration.ofMillis(10));
            recording.start();
            Thread busy = new Thread(ProfileSummaryTest::sortFor400Ms, "ccd-labeler-1-StreamThread-1");
            busy.start();
            busy.join();
            recording.stop();
            recording.dump(file);
        }

        // When
        ProfileSummary summary = ProfileSummary.read(file);
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        summary.print(new PrintStream(bytes, true, StandardCharsets.UTF_8));
        String table = bytes.toString(StandardCharsets.UTF_8);

        // Then: the thread's row exists and its top method is the sort it did
        assertThat(summary.samples()).isPositive();
        assertThat(table).contains("| labeler (stream thread) |");
        assertThat(table.lines().filter(line -> line.startsWith("| labeler (stream thread) |")))
                .anySatisfy(line -> assertThat(line).contains("DualPivotQuicksort"));
    }

    private static void sortFor400Ms() {
        java.util.Random random = new java.util.Random(1);
        long end = System.nanoTime() + 400_000_000L;
        while (System.nanoTime() < end) {
            int[] values = random.ints(100_000).toArray();
            java.util.Arrays.sort(values);
        }
    }
}
