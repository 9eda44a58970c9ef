package io.ccdstream.data.files;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * What an ingest has had acknowledged, per class set: an append-only JSON Lines file, one line per
 * acknowledged image ({@code id}, {@code origin} — the file or URL it came from —, {@code fingerprint}
 * — path, size and modification time of a file —, {@code partition}, {@code offset}, {@code acked}).
 * Lines are appended only after the broker acknowledged the images, and each batch is forced to disk
 * ({@code fsync}) before the next is sent, so after a crash the ledger lists no image that was not
 * acknowledged; an image acknowledged in the moment before a crash may be missing from it and is then
 * sent once more (the labels topic is compacted by image, so that costs a re-score, not a duplicate
 * label). A torn last line (crash while appending) is ignored when the ledger is read.
 */
public final class IngestLedger implements AutoCloseable {

    /** One acknowledged image. */
    public record Entry(String id, String origin, String fingerprint, int partition, long offset) {}

    private static final ObjectMapper JSON = new ObjectMapper();

    private final Path file;
    private final Set<String> ids = new HashSet<>();
    private final Set<String> fingerprints = new HashSet<>();
    private final Map<String, String> origins = new HashMap<>();
    private final FileChannel channel;

    private IngestLedger(Path file) throws IOException {
        this.file = file;
        Files.createDirectories(file.toAbsolutePath().getParent());
        boolean torn = false;
        if (Files.exists(file)) {
            String text = Files.readString(file, StandardCharsets.UTF_8);
            text.lines().forEach(this::read);
            torn = !text.isEmpty() && !text.endsWith("\n");
        }
        this.channel =
                FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE, StandardOpenOption.APPEND);
        if (torn) {
            // end the torn line, so that the next entry starts a line of its own
            channel.write(ByteBuffer.wrap(new byte[] {'\n'}));
        }
    }

    /**
     * Opens (or creates) the ledger of {@code classSetId} in {@code dir}: {@code dir/<classSetId>.jsonl}.
     *
     * @throws UncheckedIOException when it cannot be read or created
     */
    public static IngestLedger open(Path dir, String classSetId) {
        Path file = dir.resolve(classSetId + ".jsonl");
        try {
            return new IngestLedger(file);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot open the ingest ledger " + file + ": " + e.getMessage(), e);
        }
    }

    /** The ledger's file. */
    public Path file() {
        return file;
    }

    /** Whether an image with this id was acknowledged. */
    public boolean hasId(String id) {
        return ids.contains(id);
    }

    /** Whether the file version with this fingerprint was acknowledged. */
    public boolean hasFingerprint(String fingerprint) {
        return fingerprint != null && fingerprints.contains(fingerprint);
    }

    /** Where each acknowledged image came from (its file or URL), by image id. */
    public Map<String, String> origins() {
        return Map.copyOf(origins);
    }

    /** Number of images acknowledged. */
    public int size() {
        return ids.size();
    }

    /**
     * Appends acknowledged images and forces them to disk before returning.
     *
     * @throws UncheckedIOException when they cannot be written
     */
    public void append(List<Entry> entries) {
        if (entries.isEmpty()) {
            return;
        }
        StringBuilder lines = new StringBuilder();
        String acked = Instant.now().toString();
        for (Entry entry : entries) {
            ObjectNode line = JSON.createObjectNode()
                    .put("id", entry.id())
                    .put("origin", entry.origin())
                    .put("fingerprint", entry.fingerprint())
                    .put("partition", entry.partition())
                    .put("offset", entry.offset())
                    .put("acked", acked);
            try {
                lines.append(JSON.writeValueAsString(line)).append('\n');
            } catch (JsonProcessingException e) {
                throw new IllegalStateException(e);
            }
        }
        try {
            ByteBuffer bytes = ByteBuffer.wrap(lines.toString().getBytes(StandardCharsets.UTF_8));
            while (bytes.hasRemaining()) {
                channel.write(bytes);
            }
            channel.force(false);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the ingest ledger " + file + ": " + e.getMessage(), e);
        }
        for (Entry entry : entries) {
            ids.add(entry.id());
            origins.put(entry.id(), entry.origin());
            if (entry.fingerprint() != null) {
                fingerprints.add(entry.fingerprint());
            }
        }
    }

    private void read(String line) {
        if (line.isBlank()) {
            return;
        }
        try {
            JsonNode node = JSON.readTree(line);
            JsonNode id = node.get("id");
            if (id == null || !id.isTextual()) {
                return;
            }
            ids.add(id.asText());
            JsonNode origin = node.get("origin");
            if (origin != null && origin.isTextual()) {
                origins.put(id.asText(), origin.asText());
            }
            JsonNode fingerprint = node.get("fingerprint");
            if (fingerprint != null && fingerprint.isTextual()) {
                fingerprints.add(fingerprint.asText());
            }
        } catch (JsonProcessingException e) {
            // a torn line from a crash while appending: that batch was never confirmed as recorded
        }
    }

    @Override
    public void close() {
        try {
            channel.close();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
