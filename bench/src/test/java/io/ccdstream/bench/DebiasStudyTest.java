package io.ccdstream.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.List;
import org.junit.jupiter.api.Test;

class DebiasStudyTest {

    @Test
    void shouldScoreTheOrderKeepingRuleAsTheRawScoresAndTheClampLower() {
        // Given two classes over four images; class 0's positive (image 1) scores 0.02 and a
        // negative 0.01: both below the floor, so the clamp ties them, and with them image 3
        float[][] raw = {
            {0.9f, 0.1f}, {0.02f, 0.98f}, {0.01f, 0.99f}, {0.03f, 0.97f},
        };
        boolean[][] truth = {{true, false}, {true, true}, {false, true}, {false, true}};

        // When
        List<DebiasStudy.Row> rows = DebiasStudy.rows(raw, truth, 0.05f);

        // Then: raw, CLAMP, RANK, and both again with the class-count floor 1/2
        assertThat(rows).extracting(DebiasStudy.Row::rule).hasSize(5);
        assertThat(rows.get(4).rule()).contains("RANK", "1/C");
        assertThat(rows.get(4).map()).isCloseTo(rows.get(0).map(), within(1e-9));
        assertThat(rows.get(2).map()).isCloseTo(rows.get(0).map(), within(1e-9));
        assertThat(rows.get(1).map()).isLessThan(rows.get(0).map());
        assertThat(rows.get(1).tiedShare()).isGreaterThan(0);
        assertThat(rows.get(2).tiedShare()).isZero();
    }
}
