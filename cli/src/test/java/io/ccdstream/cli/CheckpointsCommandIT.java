package io.ccdstream.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.ccdstream.schemas.Checkpoint;
import io.ccdstream.schemas.CheckpointMetrics;
import io.ccdstream.schemas.CheckpointPhase;
import io.ccdstream.schemas.CheckpointStatus;
import io.ccdstream.schemas.ClassSetKey;
import io.ccdstream.testsupport.TestCluster;
import io.ccdstream.topics.CcdTopics;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code ccd checkpoints list | promote | rollback} against checkpoint records on the test cluster. */
class CheckpointsCommandIT {

    @TempDir
    Path dir;

    private static Checkpoint checkpoint(long version, CheckpointStatus status) {
        return Checkpoint.newBuilder()
                .setClassSetId("cs1")
                .setVersion(version)
                .setPhase(CheckpointPhase.CONTINUOUS)
                .setArchitecture("small-cnn")
                .setLocation("file:/tmp/v" + version + ".ckpt")
                .setSha256("00")
                .setSizeBytes(1)
                .setCreatedAt(Instant.EPOCH)
                .setMetrics(new CheckpointMetrics(30.0, 0.1, 10L, 2, 40.0 + version, 64, 10))
                .setStatus(status)
                .setStatusReason(status == null ? null : "by the test")
                .build();
    }

    @Test
    void shouldListPromoteAndRollBack() {
        try (TestCluster cluster = TestCluster.start(dir.resolve("kafka"), 1)) {
            // Given v1 promoted, v2 announced and promoted, v3 a candidate
            for (Checkpoint c : List.of(
                    checkpoint(1, null),
                    checkpoint(1, CheckpointStatus.PROMOTED),
                    checkpoint(2, null),
                    checkpoint(2, CheckpointStatus.PROMOTED),
                    checkpoint(3, null))) {
                cluster.send(CcdTopics.CHECKPOINTS, Map.of(new ClassSetKey("cs1"), c));
            }
            String[] cluster1 = {
                "--bootstrap-servers", cluster.bootstrapServers(), "--schema-registry-url", cluster.registryUrl()
            };

            CommandRun list = run("list", cluster1);
            assertThat(list.exit()).as(list.output()).isZero();
            assertThat(list.output()).containsPattern("\\*\\s+v2\\s+CONTINUOUS\\s+PROMOTED");
            assertThat(list.output()).containsPattern("v3\\s+CONTINUOUS\\s+CANDIDATE");

            // When v3 is promoted by hand, then rolled back without a version
            assertThat(run("promote", cluster1, "3").exit()).isZero();
            CommandRun rollback = run("rollback", cluster1);

            // Then v3 is rejected and v2, promoted before it, is in use again
            assertThat(rollback.exit()).as(rollback.output()).isZero();
            assertThat(rollback.output()).contains("rolled back to v2");
            List<Checkpoint> last = new ArrayList<>();
            cluster.read(CcdTopics.CHECKPOINTS, records -> records.size() >= 8, Duration.ofSeconds(20)).stream()
                    .map(ConsumerRecord::value)
                    .forEach(last::add);
            assertThat(last.get(last.size() - 1).getVersion()).isEqualTo(2L);
            assertThat(last.get(last.size() - 1).getStatus()).isEqualTo(CheckpointStatus.PROMOTED);
            assertThat(run("list", cluster1).output())
                    .containsPattern("\\*\\s+v2\\s+CONTINUOUS\\s+PROMOTED")
                    .containsPattern("v3\\s+CONTINUOUS\\s+REJECTED\\s+\\S+\\s+\\S+\\s+rolled back to v2");

            // and a version that does not exist is refused with the known ones
            CommandRun missing = run("promote", cluster1, "9");
            assertThat(missing.exit()).isEqualTo(1);
            assertThat(missing.output()).contains("no checkpoint v9").contains("[1, 2, 3]");
        }
    }

    private static CommandRun run(String sub, String[] cluster, String... more) {
        List<String> args = new ArrayList<>(List.of("checkpoints", sub));
        args.addAll(List.of(cluster));
        args.addAll(List.of(more));
        return CommandRun.of(args.toArray(String[]::new));
    }
}
