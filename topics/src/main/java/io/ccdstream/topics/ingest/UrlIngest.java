package io.ccdstream.topics.ingest;

import io.ccdstream.data.ImageRecords;
import io.ccdstream.data.files.UrlManifest;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Sends the images of a URL list ({@link UrlManifest}) by claim check: the scorer fetches each URL,
 * so its host (or, for {@code file:} URIs, its folder) must be allowed there. The source attributes
 * are the manifest's plus {@code uri}; the content type is guessed from the URL's extension and only
 * compared by the decoder, which reads the format from the bytes.
 */
public final class UrlIngest {

    private final String classSetId;
    private final ImageIngest ingest;

    public UrlIngest(String classSetId, ImageIngest ingest) {
        this.classSetId = classSetId;
        this.ingest = ingest;
    }

    /** Sends the entries that the ledger does not hold. */
    public ImageIngest.Report send(List<UrlManifest.Entry> entries) {
        return ingest.ingest(entries.stream()
                .map(entry -> new ImageIngest.Item(entry.uri(), null, entry.id(), () -> {
                    Map<String, String> source = new LinkedHashMap<>(entry.attributes());
                    source.put("uri", entry.uri());
                    return ImageRecords.claimCheck(
                            classSetId, entry.id(), entry.uri(), contentType(entry.uri()), 0L, null, source);
                }))
                .toList());
    }

    /** The media type that the URL's extension suggests, or {@code application/octet-stream}. */
    static String contentType(String uri) {
        String path = uri.toLowerCase(Locale.ROOT).replaceAll("[?#].*$", "");
        if (path.endsWith(".png")) {
            return "image/png";
        }
        if (path.endsWith(".jpg") || path.endsWith(".jpeg")) {
            return "image/jpeg";
        }
        return "application/octet-stream";
    }
}
