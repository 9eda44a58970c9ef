package io.ccdstream.models.classifier;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.initializer.Initializer;
import java.util.SplittableRandom;

/**
 * He (Kaiming) normal initialisation, {@code N(0, 2 / fanIn)} with fanIn the product of all
 * dimensions but the first, drawn from a seeded Java generator. DJL's own initializers draw from
 * the engine's global generator, which other threads share; this one gives the same weights for
 * the same seed whatever else runs, provided the parameters are initialised in the same order
 * (DJL initialises a block's children in declaration order).
 */
final class SeededInitializer implements Initializer {

    private final SplittableRandom random;

    SeededInitializer(long seed) {
        this.random = new SplittableRandom(seed);
    }

    @Override
    public synchronized NDArray initialize(NDManager manager, Shape shape, DataType dataType) {
        long fanIn = shape.dimension() < 2 ? shape.size() : shape.size() / shape.get(0);
        double std = Math.sqrt(2.0 / Math.max(1, fanIn));
        float[] values = new float[Math.toIntExact(shape.size())];
        for (int i = 0; i < values.length; i++) {
            values[i] = (float) (random.nextGaussian() * std);
        }
        return manager.create(values, shape).toType(dataType, false);
    }
}
