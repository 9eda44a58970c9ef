package io.ccdstream.models.clip;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.ccdstream.models.BundledModels;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Loading a broken djl-mini-clip directory fails with a message that says what to fix. */
class MiniClipLoadTest {

    @TempDir
    Path temp;

    @Test
    void shouldReportAnUnreadableParameterFile() throws IOException {
        Path dir = BundledModels.extract("mini-clip", temp);
        Files.writeString(dir.resolve("mini-clip.params"), "these are not DJL parameters");

        assertThatThrownBy(() -> ClipModel.load(dir))
                .isInstanceOf(ClipModelException.class)
                .hasMessageContaining("cannot load mini-CLIP parameters");
    }

    @Test
    void shouldDetectAnArchitectureThatDisagreesWithTheParameters() throws IOException {
        Path dir = BundledModels.extract("mini-clip", temp);
        Path descriptor = dir.resolve("clip.json");
        Files.writeString(
                descriptor, Files.readString(descriptor).replace("\"textWidth\" : 128", "\"textWidth\" : 96"));

        assertThatThrownBy(() -> ClipModel.load(dir))
                .isInstanceOf(ClipModelException.class)
                .hasMessageContaining("cannot load mini-CLIP parameters")
                .hasMessageContaining("the architecture gives it");
    }
}
