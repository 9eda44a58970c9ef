package io.ccdstream.streams.scorer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.ccdstream.schemas.Checkpoint;
import io.ccdstream.schemas.CheckpointMetrics;
import io.ccdstream.schemas.CheckpointPhase;
import io.ccdstream.schemas.ImageKey;
import io.ccdstream.schemas.RescoreState;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class RescoreQueueTest {

    private static ImageKey key(String id) {
        return new ImageKey("set", id);
    }

    private static RescoreState state(long version, Double heldOut, long arrivedAt, float uncertainty) {
        return new RescoreState(version, heldOut, Instant.ofEpochMilli(arrivedAt), uncertainty);
    }

    private static Checkpoint checkpoint(long version, Double heldOut) {
        return Checkpoint.newBuilder()
                .setClassSetId("set")
                .setVersion(version)
                .setPhase(CheckpointPhase.CONTINUOUS)
                .setArchitecture("a")
                .setLocation("file:/x")
                .setSha256("00")
                .setSizeBytes(0)
                .setCreatedAt(Instant.EPOCH)
                .setMetrics(new CheckpointMetrics(0.0, 0.0, 0L, 0, heldOut, 100, 5))
                .build();
    }

    @Test
    void shouldTakeTheWeakestCheckpointsImagesFirstThenTheMostUndecidedThenTheNewest() {
        RescoreQueue queue = new RescoreQueue(RescoreSettings.DEFAULTS);
        queue.put(key("strong-old"), state(3, 44.0, 1, 0.9f));
        queue.put(key("weak-sure"), state(1, 30.0, 2, 0.1f));
        queue.put(key("weak-unsure"), state(1, 30.0, 3, 0.8f));
        queue.put(key("weak-unsure-newer"), state(1, 30.0, 4, 0.8f));
        queue.put(key("no-signal"), state(1, null, 5, 0.0f));
        queue.put(key("current"), state(5, 50.0, 6, 1.0f));

        List<ImageKey> due = queue.due(set -> Optional.of(checkpoint(5, 50.0)), 10);

        assertThat(due)
                .extracting(ImageKey::getImageId)
                .containsExactly("no-signal", "weak-unsure-newer", "weak-unsure", "weak-sure", "strong-old");
        assertThat(queue.due(set -> Optional.of(checkpoint(5, 50.0)), 2))
                .extracting(ImageKey::getImageId)
                .containsExactly("no-signal", "weak-unsure-newer");
        assertThat(queue.due(set -> Optional.empty(), 10)).isEmpty();
    }

    @Test
    void shouldRequireANewerVersionAndTheMinimumGain() {
        RescoreQueue queue = new RescoreQueue(new RescoreSettings(true, 10, 0.5, 2.0));
        RescoreState made = state(4, 40.0, 0, 0f);

        assertThat(queue.isDue(made, checkpoint(5, 42.0))).isTrue();
        assertThat(queue.isDue(made, checkpoint(5, 41.9))).isFalse();
        assertThat(queue.isDue(made, checkpoint(4, 60.0))).as("same version").isFalse();
        assertThat(queue.isDue(made, checkpoint(3, 60.0))).as("older version").isFalse();
        assertThat(queue.isDue(made, checkpoint(6, null))).as("no signal").isFalse();
        assertThat(queue.isDue(state(4, null, 0, 0f), checkpoint(5, 1.0))).isTrue();
    }

    @Test
    void shouldEvictTheFirstArrivalsPastCapacityAndKeepOrderOnUpdate() {
        RescoreQueue queue = new RescoreQueue(new RescoreSettings(true, 2, 0.25, 1.0));
        assertThat(queue.put(key("a"), state(1, 1.0, 1, 0f))).isEmpty();
        assertThat(queue.put(key("b"), state(1, 1.0, 2, 0f))).isEmpty();
        // a re-scored image keeps its place: a is still the first to leave
        assertThat(queue.put(key("a"), state(2, 5.0, 1, 0f))).isEmpty();
        assertThat(queue.put(key("c"), state(1, 1.0, 3, 0f))).containsExactly(key("a"));
        assertThat(queue.contains(key("a"))).isFalse();
        assertThat(queue.size()).isEqualTo(2);
    }

    @Test
    void shouldRestoreInArrivalOrder() {
        RescoreQueue queue = new RescoreQueue(new RescoreSettings(true, 2, 0.25, 1.0));
        queue.restore(
                List.of(Map.entry(key("late"), state(1, 1.0, 30, 0f)), Map.entry(key("early"), state(1, 1.0, 10, 0f))));
        assertThat(queue.put(key("new"), state(1, 1.0, 40, 0f))).containsExactly(key("early"));
    }

    @Test
    void shouldSpendAtMostItsShareOfWallClockTime() {
        // Given a quarter of the time
        RescoreQueue queue = new RescoreQueue(new RescoreSettings(true, 10, 0.25, 1.0));
        assertThat(queue.mayRun(0)).as("no credit before time has passed").isFalse();

        // When a second passes, 250 ms may be spent
        assertThat(queue.mayRun(1_000)).isTrue();
        queue.spent(200_000_000L);
        assertThat(queue.mayRun(1_000)).isTrue();
        queue.spent(100_000_000L);

        // Then the 50 ms overshoot is paid back before the next batch
        assertThat(queue.mayRun(1_000)).isFalse();
        assertThat(queue.mayRun(1_100))
                .as("25 ms of credit after 100 ms is not enough")
                .isFalse();
        assertThat(queue.mayRun(1_300)).isTrue();

        // And credit saved while idle is capped at two seconds' worth
        RescoreQueue idle = new RescoreQueue(new RescoreSettings(true, 10, 0.25, 1.0));
        idle.mayRun(0);
        idle.mayRun(60_000);
        idle.spent(500_000_000L);
        assertThat(idle.mayRun(60_000)).isFalse();
    }

    @Test
    void shouldMeasureUncertaintyAsOneMinusTheTopTwoGap() {
        assertThat(RescoreQueue.uncertainty(List.of(0.9f, 0.05f, 0.05f)))
                .isCloseTo(0.15f, org.assertj.core.data.Offset.offset(1e-6f));
        assertThat(RescoreQueue.uncertainty(List.of(0.4f, 0.4f, 0.2f))).isEqualTo(1f);
    }

    @Test
    void shouldRefuseInvalidSettings() {
        assertThatThrownBy(() -> new RescoreSettings(true, 0, 0.25, 1.0)).hasMessageContaining("capacity");
        assertThatThrownBy(() -> new RescoreSettings(true, 1, 0, 1.0)).hasMessageContaining("share");
        assertThatThrownBy(() -> new RescoreSettings(true, 1, 0.5, -1)).hasMessageContaining("minGain");
    }
}
