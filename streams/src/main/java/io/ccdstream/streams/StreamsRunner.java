package io.ccdstream.streams;

import java.time.Duration;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.errors.StreamsUncaughtExceptionHandler.StreamThreadExceptionResponse;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Starts, watches and stops one Kafka Streams application. Every service of the pipeline runs
 * through this class, so that start-up, failure and shutdown behave the same everywhere.
 *
 * <p>A thread that dies of an exception shuts the whole client down (the dead-letter handler has
 * already let poison records through, so what reaches here is a bug or a lost broker); the
 * failure is kept and reported by {@link #failure()}.
 */
public final class StreamsRunner implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(StreamsRunner.class);
    private static final Duration CLOSE_TIMEOUT = Duration.ofSeconds(30);

    private final String name;
    private final KafkaStreams streams;
    private final CountDownLatch running = new CountDownLatch(1);
    private final AtomicReference<Throwable> failure = new AtomicReference<>();
    private final java.util.concurrent.atomic.AtomicInteger rebalances =
            new java.util.concurrent.atomic.AtomicInteger();

    private StreamsRunner(String name, Topology topology, Map<String, Object> properties) {
        this.name = name;
        Properties props = new Properties();
        props.putAll(properties);
        this.streams = new KafkaStreams(topology, props);
        streams.setStateListener((now, before) -> {
            LOG.debug("{}: {} -> {}", name, before, now);
            if (before == KafkaStreams.State.RUNNING && now == KafkaStreams.State.REBALANCING) {
                rebalances.incrementAndGet();
            }
            // a failed start ends the wait too: awaitRunning then reports it at once
            if (now == KafkaStreams.State.RUNNING
                    || now == KafkaStreams.State.PENDING_ERROR
                    || now == KafkaStreams.State.ERROR) {
                running.countDown();
            }
        });
        streams.setUncaughtExceptionHandler(exception -> {
            LOG.error("{} stopped by an unexpected exception", name, exception);
            failure.compareAndSet(null, exception);
            running.countDown();
            return StreamThreadExceptionResponse.SHUTDOWN_CLIENT;
        });
    }

    /** Starts {@code topology} as service {@code name}; returns without waiting for it to run. */
    public static StreamsRunner start(String name, Topology topology, Map<String, Object> properties) {
        StreamsRunner runner = new StreamsRunner(name, topology, properties);
        LOG.info("Starting {}\n{}", name, topology.describe());
        runner.streams.start();
        return runner;
    }

    /** Waits until the application runs; false on time-out or as soon as it fails. */
    public boolean awaitRunning(Duration timeout) throws InterruptedException {
        return running.await(timeout.toMillis(), TimeUnit.MILLISECONDS) && failure.get() == null;
    }

    /** The service's name. */
    public String name() {
        return name;
    }

    /** The Kafka Streams client, for interactive queries and metrics. */
    public KafkaStreams streams() {
        return streams;
    }

    /**
     * How many times the application went from RUNNING back to REBALANCING: a member joined or left, or
     * a thread missed a rebalance (its tasks migrated).
     */
    public int rebalancesSinceRunning() {
        return rebalances.get();
    }

    /** The exception that stopped the application, if one did. */
    public Throwable failure() {
        return failure.get();
    }

    /** Whether the application is neither failed nor shut down. */
    public boolean isAlive() {
        KafkaStreams.State state = streams.state();
        return failure.get() == null
                && state != KafkaStreams.State.ERROR
                && state != KafkaStreams.State.NOT_RUNNING
                && state != KafkaStreams.State.PENDING_SHUTDOWN;
    }

    /** Stops the application, committing what it has processed. */
    @Override
    public void close() {
        LOG.info("Stopping {}", name);
        if (!streams.close(CLOSE_TIMEOUT)) {
            LOG.warn("{} did not stop within {}", name, CLOSE_TIMEOUT);
        }
    }
}
