package io.ccdstream.trainer;

import io.ccdstream.schemas.CheckpointPhase;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.List;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * The trainer's meters, tagged {@code class_set}: gauges read from its {@link TrainerStatus} at each scrape
 * and its dead letters. In Prometheus: {@code ccd_trainer_state{state}} and {@code ccd_trainer_phase{phase}}
 * (1 for the current one, 0 for the others), {@code ccd_trainer_epoch}, {@code ccd_trainer_loss},
 * {@code ccd_trainer_train_label_map} (%, latest of the round, else of the latest checkpoint),
 * {@code ccd_trainer_published_version} and {@code ccd_dead_letters_total{service="trainer",reason}}.
 */
public final class TrainerMetrics {

    /** Counter of dead letters, shared with the pipeline's services. */
    public static final String DEAD_LETTERS = "ccd.dead.letters";

    private final MeterRegistry registry;

    /** Meters in {@code registry}. */
    public TrainerMetrics(MeterRegistry registry) {
        this.registry = registry;
    }

    /** Registers gauges of {@code status} for {@code classSetId}. */
    public void bindStatus(String classSetId, Supplier<TrainerStatus> status) {
        for (TrainerStatus.State state : TrainerStatus.State.values()) {
            gauge(registry, "ccd.trainer.state", classSetId, status, s -> s.state() == state ? 1 : 0)
                    .tag("state", state.name())
                    .description("1 for what the trainer is doing, 0 otherwise")
                    .register(registry);
        }
        for (CheckpointPhase phase : CheckpointPhase.values()) {
            gauge(
                            registry,
                            "ccd.trainer.phase",
                            classSetId,
                            status,
                            s -> s.round() != null && s.round().phase() == phase ? 1 : 0)
                    .tag("phase", phase.name())
                    .description("1 for the phase of the trainer's current or last round, 0 otherwise")
                    .register(registry);
        }
        gauge(
                        registry,
                        "ccd.trainer.epoch",
                        classSetId,
                        status,
                        s -> s.round() == null ? Double.NaN : s.round().epoch())
                .description("Current (or last) epoch of the training round")
                .register(registry);
        gauge(
                        registry,
                        "ccd.trainer.loss",
                        classSetId,
                        status,
                        s -> s.round() == null ? Double.NaN : s.round().lastLoss())
                .description("Loss of the latest training step")
                .register(registry);
        gauge(registry, "ccd.trainer.train.label.map", classSetId, status, TrainerMetrics::trainLabelMap)
                .description("Train-label mAP (%) after the latest epoch, else of the latest published checkpoint")
                .register(registry);
        gauge(
                        registry,
                        "ccd.trainer.published.version",
                        classSetId,
                        status,
                        s -> s.published() == null ? 0 : s.published().version())
                .description("Version of the latest checkpoint the trainer published (0: none)")
                .register(registry);
    }

    /** Counts a record the trainer sent to the dead-letter topic for {@code reason}. */
    public void deadLetter(String reason) {
        Counter.builder(DEAD_LETTERS)
                .description("Records sent to the dead-letter topic, by service and reason")
                .tag("service", TrainingInput.PROCESSOR)
                .tag("reason", reason)
                .register(registry)
                .increment();
    }

    private static double trainLabelMap(TrainerStatus status) {
        if (status.round() != null && !status.round().trainMaps().isEmpty()) {
            List<Double> maps = status.round().trainMaps();
            return maps.get(maps.size() - 1);
        }
        return status.published() == null ? Double.NaN : status.published().trainLabelMap();
    }

    private static Gauge.Builder<Supplier<Number>> gauge(
            MeterRegistry registry,
            String name,
            String classSetId,
            Supplier<TrainerStatus> status,
            Function<TrainerStatus, Number> value) {
        return Gauge.builder(name, () -> value.apply(status.get())).tag("class_set", classSetId);
    }
}
