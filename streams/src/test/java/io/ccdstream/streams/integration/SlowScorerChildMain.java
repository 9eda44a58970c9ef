package io.ccdstream.streams.integration;

import io.ccdstream.streams.StreamsRunner;
import java.nio.file.Path;
import java.time.Duration;

/**
 * A {@link SlowScorer} in its own JVM, for tests that kill it uncleanly. Arguments: bootstrap servers,
 * registry URL, state directory, milliseconds per image.
 */
public final class SlowScorerChildMain {

    private SlowScorerChildMain() {}

    public static void main(String[] args) throws Exception {
        StreamsRunner scorer =
                SlowScorer.start(args[0], args[1], Path.of(args[2]), Duration.ofMillis(Long.parseLong(args[3])));
        System.out.println("READY");
        System.out.flush();
        // runs until killed; exits if the parent closes our stdin
        while (System.in.read() >= 0) {
            Thread.onSpinWait();
        }
        scorer.close();
    }
}
