package io.ccdstream.models.clip;

import static org.assertj.core.api.Assertions.assertThat;

import io.ccdstream.data.ontology.Ontology;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

class ClassSetOntologyTest {

    private static final List<String> TEMPLATE = List.of("a photo of a {class}");

    private static Ontology ontology(List<List<String>> prompts, Double... thresholds) {
        return new Ontology(TEMPLATE, List.of("cat", "dog"), prompts, Arrays.asList(thresholds));
    }

    @Test
    void shouldKeepThePlainIdWhenTheOntologyAddsNothingToTheTemplates() {
        ClassSet fromOntology =
                ClassSet.ofOntology("m", ontology(List.of(List.of(), List.of()), null, null), "unused {class}");

        // hashlib.sha256 over the documented encoding, computed in Python
        assertThat(fromOntology.id()).isEqualTo("a20463d10d809fae");
        assertThat(fromOntology).isEqualTo(ClassSet.of("m", List.of("cat", "dog"), TEMPLATE));
    }

    @Test
    void shouldCoverOwnPromptsAndThresholdsInTheId() {
        ClassSet prompts =
                ClassSet.ofOntology("m", ontology(List.of(List.of("a small cat"), List.of()), 0.25, null), "x {class}");
        ClassSet threshold = ClassSet.ofOntology("m", ontology(List.of(List.of(), List.of()), null, 0.5), "x {class}");

        // the same Python encoding, with the ontology tag, own prompts and thresholds appended
        assertThat(prompts.id()).isEqualTo("8baca723fb648561");
        assertThat(threshold.id()).isEqualTo("6fd1aa6663507486");
        assertThat(ClassSet.ofOntology(
                                "m", ontology(List.of(List.of("a small cat"), List.of()), 0.3, null), "x {class}")
                        .id())
                .isNotEqualTo(prompts.id());
    }

    @Test
    void shouldAskAClassWithItsOwnPromptsAndTheOthersWithTheTemplatesOrTheModelsTemplate() {
        ClassSet set = ClassSet.ofOntology(
                "m", ontology(List.of(List.of("a small cat", "a kitten"), List.of()), 0.25, null), "x {class}");
        ClassSet modelTemplate = ClassSet.ofOntology(
                "m",
                new Ontology(List.of(), List.of("cat"), List.of(List.of()), Arrays.asList((Double) null)),
                "itap of a {class}");

        assertThat(set.prompts(0)).containsExactly("a small cat", "a kitten");
        assertThat(set.prompts(1)).containsExactly("a photo of a dog");
        assertThat(set.threshold(0)).isEqualTo(0.25);
        assertThat(set.threshold(1)).isNull();
        assertThat(modelTemplate.prompts(0)).containsExactly("itap of a cat");
    }
}
