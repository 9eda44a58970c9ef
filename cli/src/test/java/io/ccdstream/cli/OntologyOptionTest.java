package io.ccdstream.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.ccdstream.data.synth.SynthClass;
import io.ccdstream.streams.pipeline.PipelineConfig;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code --ontology}: refused before anything is sent when invalid, and part of the class set when valid. */
class OntologyOptionTest {

    @TempDir
    Path dir;

    private CommandRun ingest(Path ontology, String... more) throws IOException {
        Path images = Files.createDirectories(dir.resolve("images"));
        List<String> args = new java.util.ArrayList<>(List.of(
                "ingest",
                "files",
                images.toString(),
                // nothing listens here: an ontology that is refused must stop the command before any connection
                "--bootstrap-servers",
                "127.0.0.1:1",
                "--schema-registry-url",
                "http://127.0.0.1:1",
                "--work-dir",
                dir.resolve("work").toString(),
                "--ledger-dir",
                dir.resolve("ledger").toString(),
                "--ontology",
                ontology.toString()));
        args.addAll(List.of(more));
        return CommandRun.of(args.toArray(String[]::new));
    }

    @Test
    void shouldRefuseAnInvalidOntologyBeforeSendingAnything() throws IOException {
        Path duplicate = dir.resolve("dup.yaml");
        Files.writeString(duplicate, "classes: [cat, dog, cat]\n");
        Path noPlaceholder = dir.resolve("template.json");
        Files.writeString(noPlaceholder, "{\"template\": \"a photo\", \"classes\": [\"cat\"]}");
        Path emptyPrompt = dir.resolve("empty.yaml");
        Files.writeString(emptyPrompt, "classes:\n  - name: cat\n    prompts: [\"\"]\n");

        CommandRun dup = ingest(duplicate);
        CommandRun template = ingest(noPlaceholder);
        CommandRun empty = ingest(emptyPrompt);
        CommandRun both = ingest(emptyPrompt, "--classes", "a,b");

        assertThat(dup.exit()).isNotZero();
        assertThat(dup.output()).contains("duplicate class \"cat\"").doesNotContain("Sent");
        assertThat(template.exit()).isNotZero();
        assertThat(template.output()).contains("does not contain {class}");
        assertThat(empty.exit()).isNotZero();
        assertThat(empty.output()).contains("class \"cat\" has an empty prompt");
        assertThat(both.exit()).isNotZero();
        assertThat(both.output()).contains("not both");
        assertThat(dir.resolve("ledger")).doesNotExist();
    }

    @Test
    void shouldMakeTheClassSetFromTheOntologyWithThePromptsAndThresholdsInItsId() throws Exception {
        Path ontology = dir.resolve("o.yaml");
        Files.writeString(
                ontology,
                "classes:\n  - name: forklift\n    prompts: [\"a forklift in a warehouse\"]\n    threshold: 0.4\n"
                        + "  - pallet\n");
        Path changed = dir.resolve("o2.yaml");
        Files.writeString(
                changed,
                "classes:\n  - name: forklift\n    prompts: [\"a forklift in a warehouse\"]\n    threshold: 0.3\n"
                        + "  - pallet\n");
        Path work = dir.resolve("work");

        PipelineConfig fromOntology = new PipelineConfig(Map.of(PipelineConfig.ONTOLOGY_FILE, ontology.toString()));
        PipelineConfig fromChanged = new PipelineConfig(Map.of(PipelineConfig.ONTOLOGY_FILE, changed.toString()));
        PipelineConfig plain = new PipelineConfig(Map.of(PipelineConfig.CLASSES, "forklift,pallet"));
        var set = fromOntology.classSet(fromOntology.modelDir(work), SynthClass.names());

        assertThat(set.classNames()).containsExactly("forklift", "pallet");
        assertThat(set.prompts(0)).containsExactly("a forklift in a warehouse");
        assertThat(set.threshold(0)).isEqualTo(0.4);
        assertThat(set.id())
                .isNotEqualTo(
                        plain.classSet(plain.modelDir(work), SynthClass.names()).id())
                .isNotEqualTo(fromChanged
                        .classSet(fromChanged.modelDir(work), SynthClass.names())
                        .id());
    }
}
