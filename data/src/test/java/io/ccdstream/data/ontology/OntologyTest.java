package io.ccdstream.data.ontology;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class OntologyTest {

    @TempDir
    Path dir;

    private Ontology read(String name, String text) throws IOException {
        Path file = dir.resolve(name);
        Files.writeString(file, text);
        return Ontology.read(file);
    }

    @Test
    void shouldReadYamlWithTemplatesPromptsThresholdsAndBareNames() throws IOException {
        Ontology ontology = read("o.yaml", """
                templates: ["a photo of a {class}.", "a blurry photo of a {class}."]
                classes:
                  - name: forklift
                    prompts: ["a forklift in a warehouse", "a photo of a forklift"]
                    threshold: 0.35
                  - pallet
                  - name: person
                    threshold: 0.5
                """);

        assertThat(ontology.templates()).containsExactly("a photo of a {class}.", "a blurry photo of a {class}.");
        assertThat(ontology.classNames()).containsExactly("forklift", "pallet", "person");
        assertThat(ontology.prompts())
                .containsExactly(List.of("a forklift in a warehouse", "a photo of a forklift"), List.of(), List.of());
        assertThat(ontology.thresholds()).containsExactly(0.35, null, 0.5);
        assertThat(ontology.threshold("person")).isEqualTo(0.5);
        assertThat(ontology.threshold("pallet")).isNull();
    }

    @Test
    void shouldReadTheSameOntologyFromJson() throws IOException {
        Ontology json = read(
                "o.json",
                "{\"template\": \"a photo of a {class}.\", \"classes\": [{\"name\": \"cat\", \"threshold\": 0.2}, \"dog\"]}");

        assertThat(json)
                .isEqualTo(new Ontology(
                        List.of("a photo of a {class}."),
                        List.of("cat", "dog"),
                        List.of(List.of(), List.of()),
                        Arrays.asList(0.2, null)));
    }

    @Test
    void shouldRefuseDuplicatesEmptyPromptsTemplatesWithoutPlaceholderAndBadThresholds() {
        assertThatThrownBy(() -> read("a.yaml", "classes: [cat, dog, cat]"))
                .hasMessageContaining("duplicate class \"cat\"");
        assertThatThrownBy(() -> read("b.yaml", "classes: [{name: cat, prompts: [\"a cat\", \" \"]}]"))
                .hasMessageContaining("class \"cat\" has an empty prompt");
        assertThatThrownBy(() -> read("c.yaml", "classes: [{name: cat, prompts: []}]"))
                .hasMessageContaining("\"prompts\" must be a non-empty list");
        assertThatThrownBy(() -> read("d.yaml", "template: a photo of a cat\nclasses: [cat]"))
                .hasMessageContaining("does not contain {class}");
        assertThatThrownBy(() -> read("e.yaml", "classes: [{name: cat, threshold: 1.5}]"))
                .hasMessageContaining("not in [0, 1]");
        assertThatThrownBy(() -> read("f.yaml", "classes: []")).hasMessageContaining("non-empty list");
        assertThatThrownBy(() -> read("g.yaml", "clases: [cat]")).hasMessageContaining("unknown key \"clases\"");
        assertThatThrownBy(() -> read("h.yaml", "classes: [{name: cat, prompt: 3}]"))
                .hasMessageContaining("empty prompt");
        assertThatThrownBy(() -> read("i.yaml", "classes: [cat\n  - dog"))
                .hasMessageContaining("cannot be parsed")
                .hasMessageContaining("i.yaml");
    }
}
