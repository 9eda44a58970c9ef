package io.ccdstream.streams.alerts;

import static org.assertj.core.api.Assertions.assertThat;

import io.ccdstream.schemas.AlertKind;
import org.junit.jupiter.api.Test;

class DriftDetectorTest {

    private static final DriftSettings SETTINGS = new DriftSettings(4, 2, 0.25, 0.1, 0.3, 0.05);
    private final DriftDetector detector = new DriftDetector(SETTINGS);

    private static float[] top(int c, float p) {
        float[] global = new float[3];
        java.util.Arrays.fill(global, (1 - p) / 2);
        global[c] = p;
        return global;
    }

    @Test
    void shouldRaiseNothingBeforeHistoryAndOnAStableStream() {
        DriftDetector.State state = DriftDetector.State.empty(3, 0);
        for (int i = 0; i < 12; i++) {
            DriftDetector.Step step = detector.add(state, top(i % 2, 0.6f), 0);
            assertThat(step.findings()).isEmpty();
            state = step.state();
        }
        assertThat(state.windows()).isEqualTo(3);
    }

    @Test
    void shouldRaiseDistributionConfidenceAndDeadLetterChanges() {
        DriftDetector.State state = DriftDetector.State.empty(3, 0);
        for (int i = 0; i < 8; i++) {
            state = detector.add(state, top(0, 0.6f), 0).state();
        }
        // When a window's top class moves, its confidence rises and dead letters appear
        DriftDetector.Step step = null;
        for (int i = 0; i < 4; i++) {
            step = detector.add(state, top(2, 0.9f), 2);
            state = step.state();
        }
        assertThat(step.findings())
                .extracting(DriftDetector.Finding::kind)
                .containsExactlyInAnyOrder(
                        AlertKind.LABEL_DISTRIBUTION, AlertKind.MEAN_CONFIDENCE, AlertKind.DEAD_LETTER_SHARE);
        assertThat(step.findings().get(0).window()).isEqualTo(3);
    }

    @Test
    void shouldRaiseABiasShiftAgainstTheRecentVersions() {
        DriftDetector.State state = DriftDetector.State.empty(3, 0);
        state = detector.addBias(state, new double[] {0.3, 0.3, 0.4}).state();
        DriftDetector.Step small = detector.addBias(state, new double[] {0.32, 0.3, 0.38});
        DriftDetector.Step large = detector.addBias(small.state(), new double[] {0.1, 0.1, 0.8});

        assertThat(small.findings()).isEmpty();
        assertThat(large.findings()).extracting(DriftDetector.Finding::kind).containsExactly(AlertKind.BIAS_SHIFT);
    }
}
