package io.ccdstream.models.classifier;

import ai.djl.pytorch.jni.JniUtils;

/**
 * Turns libtorch's autograd recording off on the calling thread until closed, then restores it.
 * Grad mode is a per-thread libtorch flag that is on in every new thread (DJL only turns it off on
 * the thread that loads the engine), so without this an inference call from a stream thread would
 * record a backward graph for every operation on trainable parameters.
 */
final class InferenceMode implements AutoCloseable {

    private final boolean previous;

    private InferenceMode() {
        previous = JniUtils.isGradMode();
        if (previous) {
            JniUtils.setGradMode(false);
        }
    }

    /** @return a guard to close when the inference call is done */
    static InferenceMode enter() {
        return new InferenceMode();
    }

    @Override
    public void close() {
        if (previous) {
            JniUtils.setGradMode(true);
        }
    }
}
