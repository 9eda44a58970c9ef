package io.ccdstream.models.classifier;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.GradientCollector;
import io.ccdstream.models.djl.DjlRuntime;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * BCE with logits as PyTorch's BCEWithLogitsLoss (mean reduction) defines it:
 * l(x, y) = -[y ln sigmoid(x) + (1 - y) ln(1 - sigmoid(x))] = max(x, 0) - x y + ln(1 + e^-|x|).
 */
class CcdLossTest {

    // the last weak logit is exactly 0, where a relu/abs decomposition of BCE has a wrong subgradient
    private static final float[] Z_WEAK = {0.5f, -1f, 2f, -0.25f, 3f, 0f};
    private static final float[] Z_STRONG = {1f, -2f, 0.5f, 0.75f, -1f, 0.25f};
    private static final float[] TARGETS = {1f, 0f, 0.7f, 0.2f, 1f, 0.5f};

    private Engine engine;
    private NDManager manager;

    @BeforeEach
    void open() {
        engine = DjlRuntime.pytorch();
        manager = engine.newBaseManager();
    }

    @AfterEach
    void close() {
        manager.close();
    }

    @Test
    void shouldComputeBceWithSoftTargetsLikeTheFormula() {
        NDArray logits = manager.create(new float[] {0f, 2f}, new Shape(1, 2));
        NDArray targets = manager.create(new float[] {0.5f, 1f}, new Shape(1, 2));

        float loss = CcdLoss.bce(logits, targets).getFloat();

        // x=0, y=0.5: ln 2; x=2, y=1: 2 - 2 + ln(1 + e^-2); mean of the two = 0.4100378
        double expected = (Math.log(2) + Math.log1p(Math.exp(-2))) / 2;
        assertThat((double) loss).isCloseTo(expected, within(1e-6));
        assertThat((double) loss).isCloseTo(0.4100378, within(1e-6));
    }

    @Test
    void shouldAverageOverImagesAndClasses() {
        float loss = CcdLoss.bce(matrix(Z_WEAK), matrix(TARGETS)).getFloat();

        double sum = 0;
        for (int i = 0; i < Z_WEAK.length; i++) {
            sum += bce(Z_WEAK[i], TARGETS[i]);
        }
        assertThat((double) loss).isCloseTo(sum / Z_WEAK.length, within(1e-6));
    }

    @Test
    void shouldBeTheSupervisedTermAloneWhenBetaIsZero() {
        float warmUp = CcdLoss.loss(matrix(Z_WEAK), matrix(TARGETS), matrix(Z_STRONG), 0f)
                .getFloat();
        float withConsistency = CcdLoss.loss(matrix(Z_WEAK), matrix(TARGETS), matrix(Z_STRONG), 1f)
                .getFloat();

        float supervised = CcdLoss.bce(matrix(Z_WEAK), matrix(TARGETS)).getFloat();
        float consistency =
                CcdLoss.consistency(matrix(Z_WEAK), matrix(Z_STRONG)).getFloat();
        assertThat(warmUp).isEqualTo(supervised);
        assertThat(withConsistency).isCloseTo(supervised + consistency, within(1e-6f));
        assertThat(consistency).isGreaterThan(0.1f);
    }

    @Test
    void shouldSendNoConsistencyGradientIntoTheWeakLogits() {
        NDArray zWeak = matrix(Z_WEAK);
        NDArray zStrong = matrix(Z_STRONG);
        zWeak.setRequiresGradient(true);
        zStrong.setRequiresGradient(true);

        try (GradientCollector collector = engine.newGradientCollector()) {
            collector.backward(CcdLoss.loss(zWeak, matrix(TARGETS), zStrong, 1f));
        }

        // d/dx mean BCE(x, y) = (sigmoid(x) - y) / (N*C); the consistency target is detached, so the
        // weak logits only see the supervised term and the strong ones only the consistency term
        float[] weakGrad = zWeak.getGradient().toFloatArray();
        float[] strongGrad = zStrong.getGradient().toFloatArray();
        for (int i = 0; i < Z_WEAK.length; i++) {
            assertThat(weakGrad[i]).isCloseTo((sigmoid(Z_WEAK[i]) - TARGETS[i]) / Z_WEAK.length, within(1e-6f));
            assertThat(strongGrad[i])
                    .isCloseTo((sigmoid(Z_STRONG[i]) - sigmoid(Z_WEAK[i])) / Z_WEAK.length, within(1e-6f));
        }
    }

    @Test
    void shouldBeTheBinaryEntropyWithZeroGradientWhenBothViewsAgree() {
        NDArray zStrong = matrix(Z_WEAK);
        zStrong.setRequiresGradient(true);
        float consistency;

        try (GradientCollector collector = engine.newGradientCollector()) {
            NDArray value = CcdLoss.consistency(matrix(Z_WEAK), zStrong);
            collector.backward(value);
            consistency = value.getFloat();
        }

        // BCE(z, sigmoid(z)) is the entropy of sigmoid(z): not zero, but at its minimum in z_strong
        double entropy = 0;
        for (float z : Z_WEAK) {
            double p = sigmoid(z);
            entropy += -(p * Math.log(p) + (1 - p) * Math.log(1 - p));
        }
        assertThat((double) consistency).isCloseTo(entropy / Z_WEAK.length, within(1e-6));
        assertThat(zStrong.getGradient().abs().max().getFloat()).isLessThan(1e-7f);
    }

    @Test
    void shouldWeighEachImagesSupervisedTermAndKeepTheUnweightedLossAtWeightOne() {
        // two images of three classes; the second counts three times, the first not at all
        NDArray weights = manager.create(new float[] {0f, 3f});

        float weighted =
                CcdLoss.loss(matrix(Z_WEAK), matrix(TARGETS), weights, null, 0f).getFloat();
        float ones = CcdLoss.loss(matrix(Z_WEAK), matrix(TARGETS), manager.ones(new Shape(2)), null, 0f)
                .getFloat();

        double second = 0;
        for (int i = 3; i < 6; i++) {
            second += 3 * bce(Z_WEAK[i], TARGETS[i]);
        }
        assertThat((double) weighted).isCloseTo(second / 6, within(1e-6));
        assertThat(ones).isCloseTo(CcdLoss.bce(matrix(Z_WEAK), matrix(TARGETS)).getFloat(), within(1e-6f));
    }

    private NDArray matrix(float[] values) {
        return manager.create(values, new Shape(2, 3));
    }

    private static float sigmoid(float x) {
        return (float) (1 / (1 + Math.exp(-x)));
    }

    private static double bce(float x, float y) {
        return Math.max(x, 0) - x * y + Math.log1p(Math.exp(-Math.abs(x)));
    }
}
