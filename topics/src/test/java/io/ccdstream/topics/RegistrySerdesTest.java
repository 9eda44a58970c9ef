package io.ccdstream.topics;

import static org.assertj.core.api.Assertions.assertThat;

import io.ccdstream.registry.EmbeddedSchemaRegistry;
import io.ccdstream.registry.SchemaRegistryClient;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Registering the pipeline's schemas up front. */
class RegistrySerdesTest {

    @Test
    void shouldRegisterKeyAndValueSubjectOfEveryTopicIdempotently() {
        try (EmbeddedSchemaRegistry registry = EmbeddedSchemaRegistry.inMemory()) {
            RegistrySerdes serdes = new RegistrySerdes(Map.of("schema.registry.url", registry.url()));

            Map<String, Integer> first = serdes.registerAll();
            Map<String, Integer> again =
                    new RegistrySerdes(Map.of("schema.registry.url", registry.url())).registerAll();

            List<String> expected = CcdTopics.ALL.stream()
                    .flatMap(topic -> List.of(topic.name() + "-key", topic.name() + "-value").stream())
                    .toList();
            assertThat(first.keySet()).containsExactlyElementsOf(expected);
            assertThat(again).isEqualTo(first);
            SchemaRegistryClient client = serdes.client();
            assertThat(client.listSubjects()).containsExactlyInAnyOrderElementsOf(expected);
            for (String subject : expected) {
                assertThat(client.listVersions(subject)).as(subject).containsExactly(1);
            }
        }
    }

    @Test
    void shouldSkipRegistrationWhenAutoRegisterIsOff() {
        try (EmbeddedSchemaRegistry registry = EmbeddedSchemaRegistry.inMemory()) {
            RegistrySerdes serdes =
                    new RegistrySerdes(Map.of("schema.registry.url", registry.url(), "auto.register.schemas", false));

            assertThat(serdes.registerAll()).isEmpty();
            assertThat(serdes.client().listSubjects()).isEmpty();
        }
    }
}
