package io.ccdstream.trainer;

import static org.assertj.core.api.Assertions.assertThat;

import io.ccdstream.schemas.CheckpointPhase;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/** The trainer's gauges follow its status; its dead letters are counted by reason. */
class TrainerMetricsTest {

    private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
    private final AtomicReference<TrainerStatus> status =
            new AtomicReference<>(new TrainerStatus(TrainerStatus.State.WAITING, "", 0, 0, 0, null, null));

    @Test
    void shouldReadTheGaugesFromTheCurrentStatus() {
        TrainerMetrics metrics = new TrainerMetrics(registry);
        metrics.bindStatus("cs1", status::get);

        assertThat(gauge("ccd.trainer.state", "state", "WAITING")).isEqualTo(1.0);
        assertThat(gauge("ccd.trainer.state", "state", "TRAINING")).isZero();
        assertThat(gauge("ccd.trainer.epoch")).isNaN();
        assertThat(gauge("ccd.trainer.published.version")).isZero();

        status.set(new TrainerStatus(
                TrainerStatus.State.TRAINING,
                "",
                10,
                8,
                1,
                new TrainerStatus.Round(CheckpointPhase.REFINE, 3, 10, 5, 8, 0.412, List.of(41.0, 44.2)),
                new TrainerStatus.Published(2, CheckpointPhase.WARMUP, 40.5, 4, "file:/c2")));

        assertThat(gauge("ccd.trainer.state", "state", "TRAINING")).isEqualTo(1.0);
        assertThat(gauge("ccd.trainer.state", "state", "WAITING")).isZero();
        assertThat(gauge("ccd.trainer.phase", "phase", "REFINE")).isEqualTo(1.0);
        assertThat(gauge("ccd.trainer.phase", "phase", "WARMUP")).isZero();
        assertThat(gauge("ccd.trainer.epoch")).isEqualTo(3.0);
        assertThat(gauge("ccd.trainer.loss")).isEqualTo(0.412);
        assertThat(gauge("ccd.trainer.train.label.map")).isEqualTo(44.2);
        assertThat(gauge("ccd.trainer.published.version")).isEqualTo(2.0);
    }

    @Test
    void shouldCountDeadLettersByReason() {
        TrainerMetrics metrics = new TrainerMetrics(registry);
        metrics.deadLetter("DESERIALIZATION");
        metrics.deadLetter("DESERIALIZATION");
        metrics.deadLetter("CLASS_NAMES_MISMATCH");

        assertThat(registry.get(TrainerMetrics.DEAD_LETTERS)
                        .tags("service", "trainer", "reason", "DESERIALIZATION")
                        .counter()
                        .count())
                .isEqualTo(2.0);
        assertThat(registry.get(TrainerMetrics.DEAD_LETTERS)
                        .tags("service", "trainer", "reason", "CLASS_NAMES_MISMATCH")
                        .counter()
                        .count())
                .isEqualTo(1.0);
    }

    private double gauge(String name, String... tags) {
        return registry.get(name).tag("class_set", "cs1").tags(tags).gauge().value();
    }
}
