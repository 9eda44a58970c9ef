package io.ccdstream.cli;

import io.ccdstream.topics.ingest.ImageIngest;
import java.io.PrintStream;
import java.time.Duration;
import java.util.Locale;

/** An ingest's progress ({@link Progress}): images decided of the images found, and what became of them. */
final class ProgressLine implements ImageIngest.Listener {

    private final Progress progress;
    private ImageIngest.Counts last;

    ProgressLine(PrintStream out, boolean terminal, Duration plainEvery) {
        this.progress = new Progress("Ingest", "img", out, terminal, plainEvery);
    }

    /** Progress on {@code System.out}, as a bar when the process has a terminal. */
    static ProgressLine onStandardOutput() {
        return new ProgressLine(System.out, System.console() != null, Duration.ofSeconds(5));
    }

    @Override
    public void progress(ImageIngest.Counts counts) {
        last = counts;
        progress.update(counts.done(), Math.max(counts.total(), 0), detail(counts));
    }

    /** Prints the final state and ends the bar's line. */
    void finish() {
        progress.close();
    }

    static String detail(ImageIngest.Counts counts) {
        return String.format(
                Locale.ROOT, "(%d sent, %d skipped, %d failed)", counts.sent(), counts.skipped(), counts.failed());
    }
}
