package io.ccdstream.cli;

import io.ccdstream.topics.ingest.ImageIngest;
import java.io.PrintStream;
import java.time.Duration;
import java.util.Locale;

/**
 * Prints an ingest's progress: on a terminal a bar redrawn in place ({@code \r}) at most ten times a
 * second, with images per second and the estimated time left; otherwise (a pipe, a log file) a plain
 * line every {@code plainEvery}, and a last one when the ingest ends.
 */
final class ProgressLine implements ImageIngest.Listener {

    private static final int BAR = 30;

    private final PrintStream out;
    private final boolean terminal;
    private final Duration plainEvery;
    private final long start = System.nanoTime();
    private long lastPrinted;
    private ImageIngest.Counts last;

    ProgressLine(PrintStream out, boolean terminal, Duration plainEvery) {
        this.out = out;
        this.terminal = terminal;
        this.plainEvery = plainEvery;
        this.lastPrinted = start;
    }

    /** Progress on {@code System.out}, as a bar when the process has a terminal. */
    static ProgressLine onStandardOutput() {
        return new ProgressLine(System.out, System.console() != null, Duration.ofSeconds(5));
    }

    @Override
    public void progress(ImageIngest.Counts counts) {
        last = counts;
        long now = System.nanoTime();
        long every = terminal ? 100_000_000L : plainEvery.toNanos();
        if (now - lastPrinted >= every) {
            lastPrinted = now;
            print(counts, now);
        }
    }

    /** Prints the final state and ends the bar's line. */
    void finish() {
        if (last != null) {
            print(last, System.nanoTime());
            if (terminal) {
                out.println();
            }
        }
    }

    private void print(ImageIngest.Counts counts, long now) {
        String text = render(counts, Duration.ofNanos(now - start), terminal);
        if (terminal) {
            out.print("\r" + text);
            out.flush();
        } else {
            out.println(text);
        }
    }

    /**
     * The progress text: {@code [#####.....] 50/100  50%  12.5 img/s  ETA 0:04  (40 sent, 10 skipped, 0 failed)}
     * with the bar on a terminal, the same without it otherwise. The rate counts sent and failed images
     * (skipped ones cost nothing); the ETA is the images left at that rate, {@code --:--} before any.
     */
    static String render(ImageIngest.Counts counts, Duration elapsed, boolean bar) {
        int total = Math.max(counts.total(), 0);
        int done = Math.min(counts.done(), total);
        double fraction = total == 0 ? 1.0 : (double) done / total;
        double seconds = Math.max(elapsed.toNanos() / 1e9, 1e-9);
        double rate = (counts.sent() + counts.failed()) / seconds;
        String eta = rate <= 0 ? "--:--" : clock(Math.round((total - done) / rate));
        StringBuilder text = new StringBuilder();
        if (bar) {
            int filled = (int) Math.floor(fraction * BAR);
            text.append('[')
                    .append("#".repeat(filled))
                    .append(".".repeat(BAR - filled))
                    .append("] ");
        }
        text.append(String.format(
                Locale.ROOT,
                "%d/%d %3d%%  %.1f img/s  ETA %s  (%d sent, %d skipped, %d failed)",
                done,
                total,
                (int) Math.floor(fraction * 100),
                rate,
                eta,
                counts.sent(),
                counts.skipped(),
                counts.failed()));
        return text.toString();
    }

    private static String clock(long seconds) {
        long h = seconds / 3600;
        long m = (seconds % 3600) / 60;
        long s = seconds % 60;
        return h > 0
                ? String.format(Locale.ROOT, "%d:%02d:%02d", h, m, s)
                : String.format(Locale.ROOT, "%d:%02d", m, s);
    }
}
