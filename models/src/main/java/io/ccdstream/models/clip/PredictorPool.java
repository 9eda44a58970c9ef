package io.ccdstream.models.clip;

import ai.djl.inference.Predictor;
import ai.djl.translate.TranslateException;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedDeque;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.function.Supplier;

/**
 * DJL predictors are not thread-safe. Each call borrows an idle predictor (or creates one) and
 * gives it back afterwards, so there are as many predictors as the peak number of concurrent
 * callers, whatever threads they run on; {@link #close()} closes all of them.
 */
final class PredictorPool<I, O> implements AutoCloseable {

    private final Supplier<Predictor<I, O>> factory;
    private final ConcurrentLinkedDeque<Predictor<I, O>> idle = new ConcurrentLinkedDeque<>();
    private final Queue<Predictor<I, O>> created = new ConcurrentLinkedQueue<>();
    private volatile boolean closed;

    PredictorPool(Supplier<Predictor<I, O>> factory) {
        this.factory = factory;
    }

    O predict(I input) throws TranslateException {
        if (closed) {
            throw new IllegalStateException("the CLIP model is closed");
        }
        Predictor<I, O> predictor = idle.pollFirst();
        if (predictor == null) {
            predictor = factory.get();
            created.add(predictor);
        }
        try {
            return predictor.predict(input);
        } finally {
            idle.offerFirst(predictor);
        }
    }

    int size() {
        return created.size();
    }

    @Override
    public void close() {
        closed = true;
        Predictor<I, O> predictor;
        while ((predictor = created.poll()) != null) {
            predictor.close();
        }
        idle.clear();
    }
}
