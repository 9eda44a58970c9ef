package io.ccdstream.streams.scorer;

import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Where a scorer task's model calls run. The threaded lane runs them one after another on a thread
 * of the task's own, so the stream thread goes on polling, decoding, buffering and committing while
 * the model works; a semaphore shared by the instance's tasks lets one model call run at a time (the
 * model's own operators already use every core). The inline lane runs a call at once on the caller's
 * thread, for topology tests that expect a result as soon as a batch is due.
 */
abstract class ModelLane implements AutoCloseable {

    /** Makes one lane per scorer task. */
    interface Factory {
        ModelLane create(String taskName);
    }

    private final AtomicLong busyNanos = new AtomicLong();

    /** Runs {@code call}; the future completes with its result or its failure. */
    abstract <T> CompletableFuture<T> submit(Callable<T> call);

    /** Nanoseconds this lane's calls have spent running. */
    long busyNanos() {
        return busyNanos.get();
    }

    <T> T timed(Callable<T> call) throws Exception {
        long started = System.nanoTime();
        try {
            return call.call();
        } finally {
            busyNanos.addAndGet(System.nanoTime() - started);
        }
    }

    /** Waits up to {@code timeoutMs} for the call running now to end, then stops the lane. */
    abstract void close(long timeoutMs);

    @Override
    public void close() {
        close(0);
    }

    /** One thread per task, {@code permits} model calls at a time in the whole instance. */
    static Factory threaded(int permits) {
        Semaphore shared = new Semaphore(permits, true);
        return taskName -> new Threaded(taskName, shared);
    }

    /** Every call on the caller's thread. */
    static Factory inline() {
        return taskName -> new Inline();
    }

    private static final class Threaded extends ModelLane {
        private final ExecutorService executor;
        private final Semaphore permits;

        Threaded(String taskName, Semaphore permits) {
            this.permits = permits;
            this.executor = Executors.newSingleThreadExecutor(runnable -> {
                Thread thread = new Thread(runnable, "ccd-scorer-model-" + taskName);
                thread.setDaemon(true);
                return thread;
            });
        }

        @Override
        <T> CompletableFuture<T> submit(Callable<T> call) {
            CompletableFuture<T> future = new CompletableFuture<>();
            executor.execute(() -> {
                if (future.isCancelled()) {
                    return;
                }
                try {
                    permits.acquire();
                    try {
                        future.complete(timed(call));
                    } finally {
                        permits.release();
                    }
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    future.completeExceptionally(e);
                } catch (Throwable e) {
                    future.completeExceptionally(e);
                }
            });
            return future;
        }

        @Override
        void close(long timeoutMs) {
            executor.shutdown();
            try {
                if (!executor.awaitTermination(timeoutMs, TimeUnit.MILLISECONDS)) {
                    executor.shutdownNow();
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                executor.shutdownNow();
            }
        }
    }

    private static final class Inline extends ModelLane {
        @Override
        <T> CompletableFuture<T> submit(Callable<T> call) {
            try {
                return CompletableFuture.completedFuture(timed(call));
            } catch (Exception e) {
                return CompletableFuture.failedFuture(e);
            }
        }

        @Override
        void close(long timeoutMs) {}
    }
}
