package io.ccdstream.streams.scorer;

import io.ccdstream.schemas.Checkpoint;
import io.ccdstream.topics.Checksums;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;

/**
 * Copies a checkpoint announced on the checkpoints topic into a local cache directory and checks
 * its size and SHA-256 against the announcement. Locations: {@code file:} URIs (a shared or local
 * filesystem) and {@code http(s):} URLs (the trainer's checkpoint endpoint, so that a scorer on
 * another host needs no shared filesystem).
 */
public final class CheckpointFetcher {

    private final Path cacheDir;
    private final HttpClient http;
    private final Duration timeout;

    /** Fetches into {@code cacheDir} with {@code timeout} per HTTP request. */
    public CheckpointFetcher(Path cacheDir, Duration timeout) {
        this.cacheDir = cacheDir;
        this.timeout = timeout;
        this.http = HttpClient.newBuilder()
                .connectTimeout(timeout)
                .followRedirects(HttpClient.Redirect.NORMAL)
                .build();
    }

    /**
     * The verified local copy of {@code checkpoint}.
     *
     * @throws IOException when it cannot be fetched or does not match its announced size and SHA-256
     */
    public Path fetch(Checkpoint checkpoint) throws IOException {
        Files.createDirectories(cacheDir);
        Path target = cacheDir.resolve(checkpoint.getClassSetId() + "-v" + checkpoint.getVersion() + ".ckpt");
        Path partial = Files.createTempFile(cacheDir, "fetch-", ".part");
        try {
            try (InputStream in = open(URI.create(checkpoint.getLocation()))) {
                copyAtMost(in, partial, checkpoint.getSizeBytes());
            }
            verify(checkpoint, partial);
            Files.move(partial, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            return target;
        } finally {
            Files.deleteIfExists(partial);
        }
    }

    private InputStream open(URI location) throws IOException {
        String scheme = location.getScheme() == null ? "" : location.getScheme().toLowerCase();
        switch (scheme) {
            case "file":
                return Files.newInputStream(Path.of(location));
            case "http":
            case "https":
                try {
                    HttpResponse<InputStream> response = http.send(
                            HttpRequest.newBuilder(location)
                                    .timeout(timeout)
                                    .GET()
                                    .build(),
                            HttpResponse.BodyHandlers.ofInputStream());
                    if (response.statusCode() != 200) {
                        response.body().close();
                        throw new IOException("GET " + location + " answered " + response.statusCode());
                    }
                    return response.body();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new IOException("interrupted while fetching " + location, e);
                }
            default:
                throw new IOException("unsupported checkpoint location " + location + " (file: or http(s): expected)");
        }
    }

    private static void copyAtMost(InputStream in, Path target, long expectedSize) throws IOException {
        byte[] data = in.readNBytes((int) Math.min(Integer.MAX_VALUE - 8L, expectedSize + 1));
        if (data.length != expectedSize) {
            throw new IOException("checkpoint has " + (data.length > expectedSize ? "more than " : "") + data.length
                    + " bytes, the event announced " + expectedSize);
        }
        Files.write(target, data);
    }

    private static void verify(Checkpoint checkpoint, Path file) throws IOException {
        String actual = Checksums.sha256(file);
        if (!actual.equalsIgnoreCase(checkpoint.getSha256())) {
            throw new IOException("checkpoint v" + checkpoint.getVersion() + " has SHA-256 " + actual
                    + ", the event announced " + checkpoint.getSha256());
        }
    }
}
