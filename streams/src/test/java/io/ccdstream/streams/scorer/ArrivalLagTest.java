package io.ccdstream.streams.scorer;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class ArrivalLagTest {

    @Test
    void shouldBeBehindWhenImagesArriveLaterThanTheRecentBestWhateverTheProducersClock() {
        // Given a producer whose clock runs 5 s behind, images taken 0.2 s after they were sent
        ArrivalLag lag = new ArrivalLag();
        for (long t = 0; t < 30_000; t += 1_000) {
            lag.observe(100_000 + t, 100_000 + t - 5_200);
        }
        assertThat(lag.behind(130_000, 2_000)).isFalse();

        // When the scorer falls 4 s behind
        lag.observe(131_000, 131_000 - 9_200);

        // Then it is behind, and no longer once it caught up
        assertThat(lag.behind(131_500, 2_000)).isTrue();
        lag.observe(132_000, 132_000 - 5_300);
        assertThat(lag.behind(132_500, 2_000)).isFalse();
    }

    @Test
    void shouldNotBeBehindWhenIdleOrNeverFed() {
        ArrivalLag lag = new ArrivalLag();
        assertThat(lag.behind(0, 2_000)).isFalse();
        lag.observe(0, -1_000);
        lag.observe(1_000, -20_000);
        assertThat(lag.behind(2_000, 2_000)).isTrue();
        assertThat(lag.behind(20_000, 2_000)).as("nothing taken for 19 s").isFalse();
    }

    @Test
    void shouldForgetFloorsOlderThanTenMinutes() {
        ArrivalLag lag = new ArrivalLag();
        lag.observe(0, 0);
        // a steady 3 s lag for eleven minutes becomes the new normal
        for (long t = 60_000; t <= 11 * 60_000; t += 60_000) {
            lag.observe(t, t - 3_000);
        }
        assertThat(lag.behind(11 * 60_000 + 100, 2_000)).isFalse();
    }
}
