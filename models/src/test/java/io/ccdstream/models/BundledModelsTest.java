package io.ccdstream.models;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.ccdstream.models.clip.ClipModelDescriptor;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class BundledModelsTest {

    @Test
    void shouldExtractTheDefaultModelIntoALoadableDirectory(@TempDir Path temp) throws Exception {
        Path dir = BundledModels.extract(BundledModels.DEFAULT, temp);

        ClipModelDescriptor descriptor = ClipModelDescriptor.read(dir);
        assertThat(Files.size(dir.resolve(descriptor.modelFile()))).isPositive();
        assertThat(dir.resolve(descriptor.tokenizerFile())).exists();
    }

    @Test
    void shouldNameTheMissingModel(@TempDir Path temp) {
        assertThatThrownBy(() -> BundledModels.extract("no-such-model", temp)).hasMessageContaining("no-such-model");
    }
}
