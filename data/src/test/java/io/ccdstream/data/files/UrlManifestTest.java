package io.ccdstream.data.files;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class UrlManifestTest {

    @Test
    void shouldReadUrlsAndJsonLinesAndReportTheOthersByLineNumber() {
        UrlManifest manifest = UrlManifest.parse(List.of(
                "# cameras",
                "https://images.example.com/a.jpg",
                "",
                "not a url",
                "{\"id\": \"cam-7\", \"uri\": \"http://cdn:8080/b.png\", \"attributes\": {\"camera\": \"7\", \"floor\": 2}}",
                "{\"uri\": \"ftp://x/y.jpg\"}",
                "{\"id\": \"x\"}",
                "file:///data/c.png",
                "{broken"));

        assertThat(manifest.entries())
                .containsExactly(
                        new UrlManifest.Entry(
                                2, "https://images.example.com/a.jpg", "https://images.example.com/a.jpg", Map.of()),
                        new UrlManifest.Entry(5, "cam-7", "http://cdn:8080/b.png", Map.of("camera", "7", "floor", "2")),
                        new UrlManifest.Entry(8, "file:///data/c.png", "file:///data/c.png", Map.of()));
        assertThat(manifest.errors()).hasSize(4);
        assertThat(manifest.errors().get(0)).startsWith("line 4: not a URL");
        assertThat(manifest.errors().get(1)).startsWith("line 6: not a URL");
        assertThat(manifest.errors().get(2)).startsWith("line 7: a JSON line needs a \"uri\"");
        assertThat(manifest.errors().get(3)).startsWith("line 9: not valid JSON");
    }
}
