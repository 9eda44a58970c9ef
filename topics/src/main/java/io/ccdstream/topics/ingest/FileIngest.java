package io.ccdstream.topics.ingest;

import io.ccdstream.data.files.ImageFile;
import io.ccdstream.data.files.ImageFileRecords;
import io.ccdstream.data.files.ImageFileScanner;
import io.ccdstream.data.files.ImageIdScheme;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;

/**
 * Sends the image files under folders: once ({@link #once}), or watching them for new files
 * ({@link #watch}). Watching polls: a folder is rescanned every interval, and a file not in the
 * ledger is sent once two consecutive scans saw the same size and modification time (so a file still
 * being written is not read half-way). Because the ledger records every acknowledged file, a
 * restarted watch does not resend what an earlier one sent. A file that failed is not retried by the
 * same watch until it changes; a new run retries it.
 */
public final class FileIngest {

    private final ImageFileScanner scanner;
    private final ImageFileRecords records;
    private final ImageIngest ingest;

    public FileIngest(ImageFileScanner scanner, ImageFileRecords records, ImageIngest ingest) {
        this.scanner = scanner;
        this.records = records;
        this.ingest = ingest;
    }

    /** Sends every image file under {@code roots} that the ledger does not hold. */
    public ImageIngest.Report once(List<Path> roots) {
        return ingest.ingest(items(scanner.scan(roots)));
    }

    /**
     * Sends new files under {@code roots} until {@code stop} says so, checking every {@code interval}.
     *
     * @param onRound told what each round that had files to send did
     */
    public void watch(List<Path> roots, Duration interval, BooleanSupplier stop, Consumer<ImageIngest.Report> onRound)
            throws InterruptedException {
        Map<Path, ImageFile> lastSeen = new HashMap<>();
        Set<String> failed = new HashSet<>();
        while (!stop.getAsBoolean()) {
            List<ImageFile> ready = new ArrayList<>();
            Map<Path, ImageFile> seen = new HashMap<>();
            for (ImageFile file : scanner.scan(roots)) {
                seen.put(file.path(), file);
                ImageFile before = lastSeen.get(file.path());
                if (before != null
                        && before.size() == file.size()
                        && before.modified().equals(file.modified())
                        && !failed.contains(file.fingerprint())) {
                    ready.add(file);
                }
            }
            lastSeen = seen;
            if (!ready.isEmpty()) {
                ImageIngest.Report report = ingest.ingest(items(ready));
                Set<String> failedOrigins = new HashSet<>();
                report.failures().forEach(f -> failedOrigins.add(f.origin()));
                ready.stream()
                        .filter(f -> failedOrigins.contains(f.path().toString()))
                        .forEach(f -> failed.add(f.fingerprint()));
                if (report.sent() > 0 || !report.failures().isEmpty()) {
                    onRound.accept(report);
                }
            }
            if (!stop.getAsBoolean()) {
                Thread.sleep(interval.toMillis());
            }
        }
    }

    private List<ImageIngest.Item> items(List<ImageFile> files) {
        return files.stream()
                .map(file -> new ImageIngest.Item(
                        file.path().toString(),
                        file.fingerprint(),
                        records.ids() == ImageIdScheme.PATH ? file.relative() : null,
                        () -> records.record(file)))
                .toList();
    }
}
