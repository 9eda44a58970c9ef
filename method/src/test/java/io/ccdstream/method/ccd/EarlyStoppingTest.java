package io.ccdstream.method.ccd;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class EarlyStoppingTest {

    @Test
    void shouldKeepTheOnlyEpochOfAOneEpochRun() {
        assertThat(EarlyStopping.chooseEpoch(80.0)).isEqualTo(1);
    }

    @Test
    void shouldKeepTheLastEpochOfATwoEpochRunSinceNoGainsCanBeCompared() {
        // g_2 exists, g_1 does not (no m_0): no comparison
        assertThat(EarlyStopping.chooseEpoch(80.0, 70.0)).isEqualTo(2);
        assertThat(EarlyStopping.chooseEpoch(70.0, 80.0)).isEqualTo(2);
    }

    @Test
    void shouldKeepTheLastEpochWhenGainsOnlyShrink() {
        // gains 10, 5, 2, 1: never g_e > g_{e-1}
        assertThat(EarlyStopping.chooseEpoch(50, 60, 65, 67, 68)).isEqualTo(5);
    }

    @Test
    void shouldKeepTheLastEpochOnAPlateauOrAStraightLine() {
        assertThat(EarlyStopping.chooseEpoch(50, 50, 50, 50)).isEqualTo(4);
        assertThat(EarlyStopping.chooseEpoch(50, 51, 52, 53)).isEqualTo(4);
    }

    @Test
    void shouldKeepTheFirstEpochWhoseGainExceedsThePreviousGain() {
        // gains g_2=2, g_3=3: 3 > 2 at epoch 3
        assertThat(EarlyStopping.chooseEpoch(50, 52, 55, 70)).isEqualTo(3);
        // gains 10, 5, 7, 1: 7 > 5 at epoch 4
        assertThat(EarlyStopping.chooseEpoch(50, 60, 65, 72, 73)).isEqualTo(4);
        // gains -2, -1: a smaller drop counts as a larger gain, epoch 3
        assertThat(EarlyStopping.chooseEpoch(60, 58, 57, 59)).isEqualTo(3);
    }

    @Test
    void shouldReportTheRiseOnlyOnceItsEpochIsKnown() {
        assertThat(EarlyStopping.firstRise(50, 60, 65)).isEmpty();
        assertThat(EarlyStopping.firstRise(50, 60, 65, 72)).hasValue(4);
        assertThat(EarlyStopping.firstRise(50, 60, 65, 72, 90)).hasValue(4);
    }

    @Test
    void shouldRefuseARunWithoutEpochs() {
        assertThatThrownBy(EarlyStopping::chooseEpoch).isInstanceOf(IllegalArgumentException.class);
    }
}
