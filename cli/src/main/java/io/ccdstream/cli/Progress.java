package io.ccdstream.cli;

import java.io.PrintStream;
import java.time.Duration;
import java.util.Locale;
import me.tongfei.progressbar.ConsoleProgressBarConsumer;
import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;
import me.tongfei.progressbar.ProgressBarStyle;

/**
 * The progress of a long command: on a terminal a progress bar redrawn in place, with the rate and
 * the estimated time left (me.tongfei's progressbar); otherwise (a pipe, a log file) a plain line
 * every {@code plainEvery} and a last one at the end, so that logs stay readable.
 */
final class Progress implements AutoCloseable {

    /** Width of the bar's line: the bar shrinks to fit the figures and the note. */
    private static final int RENDERED_WIDTH = 110;

    private final String task;
    private final String unit;
    private final PrintStream out;
    private final boolean terminal;
    private final Duration plainEvery;
    private final long start = System.nanoTime();
    private ProgressBar bar;
    private long lastPrinted;
    private String lastLine;

    Progress(String task, String unit, PrintStream out, boolean terminal, Duration plainEvery) {
        this.task = task;
        this.unit = unit;
        this.out = out;
        this.terminal = terminal;
        this.plainEvery = plainEvery;
        this.lastPrinted = start;
    }

    /** Progress on {@code System.out}, as a bar when the process has a terminal. */
    static Progress onStandardOutput(String task, String unit) {
        return new Progress(task, unit, System.out, System.console() != null, Duration.ofSeconds(5));
    }

    /**
     * Shows that {@code done} of {@code total} items are done.
     *
     * @param total  the items in all, or -1 when not known yet
     * @param detail a short note shown after the figures, e.g. "(40 sent, 2 failed)"
     */
    void update(long done, long total, String detail) {
        if (terminal) {
            if (bar == null) {
                bar = new ProgressBarBuilder()
                        .setTaskName(task)
                        .setInitialMax(total)
                        .setUnit(" " + unit, 1)
                        .showSpeed()
                        .setStyle(ProgressBarStyle.ASCII)
                        .setUpdateIntervalMillis(100)
                        .setConsumer(new ConsoleProgressBarConsumer(out, RENDERED_WIDTH))
                        .build();
            }
            bar.maxHint(total);
            bar.stepTo(done);
            bar.setExtraMessage(" " + detail);
            return;
        }
        long now = System.nanoTime();
        lastLine = plain(task, unit, done, total, Duration.ofNanos(now - start), detail);
        if (now - lastPrinted >= plainEvery.toNanos()) {
            lastPrinted = now;
            out.println(lastLine);
            lastLine = null;
        }
    }

    /** Ends the bar, or prints the last plain line not yet printed. */
    @Override
    public void close() {
        if (bar != null) {
            bar.close();
        } else if (lastLine != null) {
            out.println(lastLine);
        }
    }

    /**
     * A plain progress line: {@code Ingest 50/100 50% 12.5 img/s ETA 0:04 (40 sent, ...)}; the ETA is
     * the items left at the rate so far, {@code --:--} before any or when the total is not known.
     */
    static String plain(String task, String unit, long done, long total, Duration elapsed, String detail) {
        double seconds = Math.max(elapsed.toNanos() / 1e9, 1e-9);
        double rate = done / seconds;
        String eta = rate <= 0 || total < 0 ? "--:--" : clock(Math.round((total - done) / rate));
        String figures = total < 0
                ? String.format(Locale.ROOT, "%s %d", task, done)
                : String.format(
                        Locale.ROOT,
                        "%s %d/%d %3d%%",
                        task,
                        done,
                        total,
                        total == 0 ? 100 : (int) Math.floor(100.0 * done / total));
        return String.format(Locale.ROOT, "%s  %.1f %s/s  ETA %s  %s", figures, rate, unit, eta, detail)
                .strip();
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
