package io.ccdstream.cli;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

/** Lets a JVM shutdown hook stop a command's loop and wait for it to close what it started. */
final class Shutdown {

    private static final long CLOSE_SECONDS = 60;

    private Shutdown() {}

    /** Asks the loop to stop and waits (bounded) until the command has closed its resources. */
    static void requestAndAwait(AtomicBoolean stop, CountDownLatch stopped) {
        stop.set(true);
        try {
            stopped.await(CLOSE_SECONDS, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
