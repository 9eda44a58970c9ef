package io.ccdstream.data.files;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * A list of images to send by claim check, one per line: either a URL ({@code http:}, {@code https:}
 * or {@code file:}; its image id is the URL itself), or a JSON object
 * {@code {"id": ..., "uri": ..., "attributes": {...}}} ({@code id} defaults to the URI; attribute
 * values are stored as strings). Blank lines and lines starting with {@code #} are skipped. A line
 * that is neither is reported with its line number and the others are kept.
 *
 * @param entries the images, in file order
 * @param errors  one message per refused line, {@code line N: reason}
 */
public record UrlManifest(List<Entry> entries, List<String> errors) {

    /** One image of the list. */
    public record Entry(int line, String id, String uri, Map<String, String> attributes) {}

    private static final ObjectMapper JSON = new ObjectMapper();

    /** Reads {@code file}. */
    public static UrlManifest read(Path file) throws IOException {
        return parse(Files.readAllLines(file, StandardCharsets.UTF_8));
    }

    /** Parses the lines of a list. */
    public static UrlManifest parse(List<String> lines) {
        List<Entry> entries = new ArrayList<>();
        List<String> errors = new ArrayList<>();
        for (int i = 0; i < lines.size(); i++) {
            int number = i + 1;
            String line = lines.get(i).strip();
            if (line.isEmpty() || line.startsWith("#")) {
                continue;
            }
            try {
                entries.add(line.startsWith("{") ? json(number, line) : new Entry(number, line, url(line), Map.of()));
            } catch (IllegalArgumentException e) {
                errors.add("line " + number + ": " + e.getMessage());
            }
        }
        return new UrlManifest(List.copyOf(entries), List.copyOf(errors));
    }

    private static Entry json(int number, String line) {
        JsonNode node;
        try {
            node = JSON.readTree(line);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("not valid JSON: " + e.getOriginalMessage());
        }
        JsonNode uri = node.get("uri");
        if (uri == null || !uri.isTextual()) {
            throw new IllegalArgumentException("a JSON line needs a \"uri\" string");
        }
        String url = url(uri.asText());
        JsonNode id = node.get("id");
        if (id != null && !(id.isTextual() && !id.asText().isBlank())) {
            throw new IllegalArgumentException("\"id\" must be a non-blank string");
        }
        Map<String, String> attributes = new LinkedHashMap<>();
        JsonNode given = node.get("attributes");
        if (given != null) {
            if (!given.isObject()) {
                throw new IllegalArgumentException("\"attributes\" must be an object");
            }
            given.fields()
                    .forEachRemaining(e -> attributes.put(
                            e.getKey(),
                            e.getValue().isTextual()
                                    ? e.getValue().asText()
                                    : e.getValue().toString()));
        }
        return new Entry(number, id == null ? url : id.asText(), url, Map.copyOf(attributes));
    }

    /** {@code text} when it is an absolute http(s) URL with a host or a file: URI with a path. */
    static String url(String text) {
        URI uri;
        try {
            uri = new URI(text);
        } catch (URISyntaxException e) {
            throw new IllegalArgumentException("not a URL: " + text);
        }
        String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
        boolean valid = switch (scheme) {
            case "http", "https" -> uri.getHost() != null;
            case "file" -> uri.getPath() != null && !uri.getPath().isEmpty();
            default -> false;
        };
        if (!valid) {
            throw new IllegalArgumentException("not a URL (http, https or file): " + text);
        }
        return text;
    }
}
