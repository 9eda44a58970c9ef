package io.ccdstream.method.ccd;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.ccdstream.method.ccd.ClassSelection.Calibrated;
import io.ccdstream.method.ccd.ClassSelection.Calibration;
import org.junit.jupiter.api.Test;

class SelectionWindowTest {

    /** Two "complex" images: three classes score high. */
    private static final float[][] COMPLEX = {{0.9f, 0.8f, 0.7f}, {0.85f, 0.75f, 0.65f}};
    /** Two "simple" images: one class scores high, the others low. */
    private static final float[][] SIMPLE = {{0.6f, 0.1f, 0.05f}, {0.02f, 0.55f, 0.04f}};

    @Test
    void shouldGiveSimpleImagesFewerCropsThanAPerBatchCalibration() {
        // Given a window that has seen the complex batch, calibrated to a mean of 2 classes per image
        Calibrated target = new Calibrated(2, 2, 4);
        SelectionWindow window = new SelectionWindow(4);
        Object classifier = new Object();
        window.resolve(classifier, target, COMPLEX);

        // When the simple batch arrives
        Calibration windowed = window.resolve(classifier, target, SIMPLE);
        Calibration perBatch = target.resolve(SIMPLE);

        // Then over the 4 images the 8th highest score (0.55) is the threshold: it selects 1 class
        // per simple image, where calibrating on the batch alone forces 2 (threshold 0.05)
        assertThat(windowed.threshold()).isEqualTo(0.55f);
        assertThat(windowed.meanCount()).isEqualTo(1.0);
        assertThat(perBatch.threshold()).isEqualTo(0.05f);
        assertThat(perBatch.meanCount()).isEqualTo(2.0);
    }

    @Test
    void shouldForgetTheOldestImagesAndRestartForAnotherClassifier() {
        SelectionWindow window = new SelectionWindow(2);
        Object first = new Object();
        window.resolve(first, Calibrated.toMean(1), COMPLEX);
        window.resolve(first, Calibrated.toMean(1), SIMPLE);
        assertThat(window.size()).isEqualTo(2);

        // the complex images left the window: calibrated on SIMPLE alone, mean 1 -> 2nd highest, 0.55
        assertThat(window.resolve(first, Calibrated.toMean(1), new float[0][]).threshold())
                .isEqualTo(0.55f);

        // another classifier's scores start a new window
        Calibration fresh = window.resolve(new Object(), Calibrated.toMean(1), COMPLEX);
        assertThat(window.size()).isEqualTo(2);
        assertThat(fresh.threshold()).isEqualTo(0.85f);
    }

    @Test
    void shouldRefuseAnEmptyWindowAndANegativeOne() {
        assertThatThrownBy(() -> new SelectionWindow(0)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new Calibrated(4, 6, -1)).hasMessageContaining("window");
    }
}
