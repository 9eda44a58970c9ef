package io.ccdstream.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import io.ccdstream.topics.CcdTopics;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * What can be checked of docker-compose.yml without a Docker engine (bin/test also runs
 * {@code docker-compose config}): every project service's command is a valid {@code ccd} command
 * line, and the broker accepts the image topic's records.
 */
class DockerComposeTest {

    private static final Path COMPOSE = Path.of("..", "docker-compose.yml");

    private static JsonNode compose() throws IOException {
        return new ObjectMapper(new YAMLFactory()).readTree(COMPOSE.toFile());
    }

    @Test
    void shouldRunOnlyValidCcdCommandLines() throws IOException {
        List<String> checked = new ArrayList<>();
        compose().get("services").fields().forEachRemaining(service -> {
            JsonNode node = service.getValue();
            // third-party services come as registry images (vendor/name); the project's are built here
            boolean project = !node.path("image").asText().contains("/");
            if (project && node.has("command")) {
                List<String> args = new ArrayList<>();
                node.get("command").forEach(arg -> args.add(arg.asText()));
                // parseArgs throws on an unknown subcommand or option, or a missing required one
                Ccd.commandLine().parseArgs(args.toArray(String[]::new));
                checked.add(service.getKey());
            }
        });
        assertThat(checked).contains("topics", "scorer", "bias", "labeler", "trainer", "shadow", "alerts", "ingest");
    }

    @Test
    void shouldLetTheBrokerAcceptTheImageTopicsRecords() throws IOException {
        long brokerMax = compose()
                .at("/services/kafka/environment/KAFKA_MESSAGE_MAX_BYTES")
                .asLong();
        assertThat(brokerMax).isGreaterThanOrEqualTo(Long.parseLong(CcdTopics.IMAGE_TOPIC_MAX_MESSAGE_BYTES));
    }
}
