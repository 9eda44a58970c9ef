package io.ccdstream.data.synth;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SynthScenesWriterTest {

    @TempDir
    Path temp;

    @Test
    void shouldWriteOnePngPerSceneAndAManifestWithLabelsAndBoxes() throws IOException {
        SynthScenes scenes =
                SynthScenes.builder().setSeed(2).optSize(64).optNoneShare(0.2).build();

        Path manifest = SynthScenesWriter.write(temp.resolve("out"), scenes, 12);

        List<String> lines = Files.readAllLines(manifest);
        assertThat(lines).hasSize(12);
        for (int i = 0; i < lines.size(); i++) {
            SynthScene scene = scenes.generate(i);
            JsonNode line = new ObjectMapper().readTree(lines.get(i));
            assertThat(line.get("id").asText()).isEqualTo(scene.id());
            assertThat(Files.readAllBytes(
                            manifest.resolveSibling(line.get("file").asText())))
                    .isEqualTo(scene.png());
            assertThat(line.get("width").asInt()).isEqualTo(64);
            List<String> labels = new ArrayList<>();
            line.get("labels").forEach(l -> labels.add(l.asText()));
            assertThat(labels).isEqualTo(scene.labels());
            assertThat(line.get("objects")).hasSize(scene.objects().size());
            for (int k = 0; k < scene.objects().size(); k++) {
                SynthScene.SynthObject o = scene.objects().get(k);
                JsonNode object = line.get("objects").get(k);
                assertThat(object.get("class").asText()).isEqualTo(o.className());
                assertThat(object.get("box").toString())
                        .isEqualTo("[" + o.x0() + "," + o.y0() + "," + o.x1() + "," + o.y1() + "]");
            }
        }
    }

    @Test
    void shouldWriteTheSameBytesTwiceForTheSameSeed() throws IOException {
        Path a = SynthScenesWriter.write(temp.resolve("a"), new SynthScenes(5, 48, 0.1), 5);
        Path b = SynthScenesWriter.write(temp.resolve("b"), new SynthScenes(5, 48, 0.1), 5);

        try (var files = Files.list(a.getParent())) {
            for (Path file : files.toList()) {
                assertThat(Files.readAllBytes(
                                b.resolveSibling(file.getFileName().toString())))
                        .as(file.getFileName().toString())
                        .isEqualTo(Files.readAllBytes(file));
            }
        }
        try (var files = Files.list(a.getParent())) {
            assertThat(files.count()).isEqualTo(6);
        }
    }
}
