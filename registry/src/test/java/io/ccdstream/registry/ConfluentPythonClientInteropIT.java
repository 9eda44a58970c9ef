package io.ccdstream.registry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * Interoperability with Confluent's own Python client (confluent-kafka 1.7, Debian's
 * python3-confluent-kafka, which bin/test installs): src/test/python/interop.py registers,
 * reads and deletes through the embedded registry, soft then permanently, and reports what it saw.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ConfluentPythonClientInteropIT {

    private static final long PYTHON_TIMEOUT_SECONDS = 120;
    /** Debian's Python, where Debian's python3-confluent-kafka is installed. */
    private static final String PYTHON = System.getProperty("interop.python", "/usr/bin/python3");

    private EmbeddedSchemaRegistry registry;
    private JsonNode report;

    @BeforeAll
    void runConfluentScript(@TempDir Path work) throws IOException, InterruptedException {
        Path script = Path.of("src/test/python/interop.py").toAbsolutePath();
        registry = EmbeddedSchemaRegistry.inMemory();
        Path reportFile = work.resolve("report.json");
        Path log = work.resolve("python.log");
        Process process;
        try {
            process = new ProcessBuilder(PYTHON, script.toString(), registry.url(), reportFile.toString())
                    .redirectErrorStream(true)
                    .redirectOutput(log.toFile())
                    .start();
        } catch (IOException e) {
            throw new AssertionError("Cannot run " + PYTHON + ": " + e.getMessage(), e);
        }
        boolean finished = process.waitFor(PYTHON_TIMEOUT_SECONDS, TimeUnit.SECONDS);
        if (!finished) {
            process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
        }
        if (!finished || process.exitValue() != 0) {
            fail(PYTHON + " " + script + (finished ? " exited with " + process.exitValue() : " timed out")
                    + " (is python3-confluent-kafka installed? bin/test installs it)\n" + Files.readString(log));
        }
        report = RawHttp.JSON.readTree(reportFile.toFile());
    }

    @AfterAll
    void stopRegistry() {
        if (registry != null) {
            registry.close();
        }
    }

    @Test
    void confluentPythonClientShouldRegisterAndReadBack() {
        List<Integer> ids = List.of(
                report.path("ids").get(0).asInt(), report.path("ids").get(1).asInt());

        assertThat(ids.get(0)).isPositive();
        assertThat(ids.get(1)).isGreaterThan(ids.get(0));
        assertThat(report.path("latestVersion").asInt()).isEqualTo(2);
        assertThat(report.path("schemaById").asText()).contains("\"name\":\"Py\"");
    }

    @Test
    void confluentPythonClientShouldDeleteAVersionThenTheSubjectSoftThenPermanently() {
        assertThat(report.path("deletedVersion").asInt()).isEqualTo(1);
        assertThat(report.path("versionsAfterDelete").toString()).isEqualTo("[2]");
        assertThat(report.path("softDeleted").toString()).isEqualTo("[2]");
        assertThat(report.path("softAgain").path("errorCode").asInt())
                .isEqualTo(SchemaRegistryException.SUBJECT_SOFT_DELETED);
        assertThat(report.path("permanentDeleted").toString()).isEqualTo("[1]");
        assertThat(report.path("subjectsAfter").toString()).doesNotContain("py.deleted-value", "py.purged-value");
        assertThat(report.path("missing").path("errorCode").asInt())
                .isEqualTo(SchemaRegistryException.SUBJECT_NOT_FOUND);
    }
}
