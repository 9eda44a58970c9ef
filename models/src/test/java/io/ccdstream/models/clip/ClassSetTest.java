package io.ccdstream.models.clip;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;

class ClassSetTest {

    private static final List<String> CLASSES = List.of("tomato", "lime", "ball", "coin", "tree");
    private static final List<String> TEMPLATE = List.of("a photo of the {class}");

    @Test
    void shouldHaveAStableIdFromTheCanonicalEncoding() {
        // Test vectors computed independently in Python (hashlib.sha256 over the documented
        // encoding: b"ccd-classset-v1", then length-prefixed UTF-8 strings and counts).
        assertThat(ClassSet.of("tiny-clip-fixture", CLASSES, TEMPLATE).id()).isEqualTo("1fc8555a71addbb2");
        assertThat(ClassSet.of(
                                "openai-clip-vit-b-32",
                                List.of("cat", "dog", "café"),
                                List.of("a photo of the {class}", "a {class}"))
                        .id())
                .isEqualTo("f957e22d27cc2f73");
    }

    @Test
    void shouldChangeTheIdWhenAnyInputChanges() {
        String base = ClassSet.of("m", CLASSES, TEMPLATE).id();

        assertThat(ClassSet.of("m2", CLASSES, TEMPLATE).id()).isNotEqualTo(base);
        assertThat(ClassSet.of("m", List.of("tomato", "lime", "ball", "coin", "trees"), TEMPLATE)
                        .id())
                .isNotEqualTo(base);
        assertThat(ClassSet.of("m", List.of("lime", "tomato", "ball", "coin", "tree"), TEMPLATE)
                        .id())
                .isNotEqualTo(base);
        assertThat(ClassSet.of("m", CLASSES.subList(0, 4), TEMPLATE).id()).isNotEqualTo(base);
        assertThat(ClassSet.of("m", CLASSES, List.of("a photo of a {class}")).id())
                .isNotEqualTo(base);
        assertThat(ClassSet.of("m", CLASSES, List.of("a photo of the {class}", "a {class}"))
                        .id())
                .isNotEqualTo(base);
    }

    @Test
    void shouldNotConfuseDifferentSplitsOfTheSameCharacters() {
        String ab = ClassSet.of("m", List.of("ab", "c"), TEMPLATE).id();
        String bc = ClassSet.of("m", List.of("a", "bc"), TEMPLATE).id();

        assertThat(ab).isNotEqualTo(bc).matches("[0-9a-f]{16}");
    }

    @Test
    void shouldBeEqualByValue() {
        assertThat(ClassSet.of("m", CLASSES, TEMPLATE))
                .isEqualTo(ClassSet.of("m", List.copyOf(CLASSES), TEMPLATE))
                .hasSameHashCodeAs(ClassSet.of("m", CLASSES, TEMPLATE));
    }

    @Test
    void shouldExpandOnePromptPerTemplate() {
        ClassSet set = ClassSet.of("m", CLASSES, List.of("a photo of the {class}", "a {class} here"));

        assertThat(set.prompts(1)).containsExactly("a photo of the lime", "a lime here");
    }

    @Test
    void shouldRefuseInvalidClassSets() {
        assertThatThrownBy(() -> ClassSet.of("m", List.of(), TEMPLATE)).hasMessageContaining("at least one class");
        assertThatThrownBy(() -> ClassSet.of("m", List.of("a", "a"), TEMPLATE)).hasMessageContaining("distinct");
        assertThatThrownBy(() -> ClassSet.of("m", List.of("a"), List.of("a photo")))
                .hasMessageContaining("{class}");
        assertThatThrownBy(() -> ClassSet.of(" ", List.of("a"), TEMPLATE)).hasMessageContaining("modelId");
    }
}
