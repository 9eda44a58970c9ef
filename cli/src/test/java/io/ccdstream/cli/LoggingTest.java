package io.ccdstream.cli;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.util.ContextInitializer;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.LoggerFactory;

class LoggingTest {

    @TempDir
    Path dir;

    @AfterEach
    void restoreTheTestConfiguration() throws Exception {
        LoggerContext context = (LoggerContext) LoggerFactory.getILoggerFactory();
        context.reset();
        new ContextInitializer(context).autoConfig();
    }

    @Test
    void shouldSendKafkasWarningsToTheFileAndTheProjectsToBoth() throws Exception {
        Path file = dir.resolve("ccd.log");
        String terminal = captureStandardError(() -> {
            Logging.configure(Level.WARN, file);
            LoggerFactory.getLogger("org.apache.kafka.clients.NetworkClient").warn("kafka retry");
            LoggerFactory.getLogger("org.apache.kafka.clients.NetworkClient").info("kafka chatter");
            LoggerFactory.getLogger("io.ccdstream.streams.Something").warn("pipeline warning");
            LoggerFactory.getLogger("io.ccdstream.streams.Something").info("pipeline progress");
        });

        assertThat(terminal).contains("pipeline warning").doesNotContain("kafka retry", "pipeline progress");
        assertThat(Files.readString(file))
                .contains("kafka retry", "pipeline warning", "pipeline progress")
                .doesNotContain("kafka chatter");
    }

    @Test
    void shouldShowTheProjectsInfoLinesAtLevelInfo() throws Exception {
        Path file = dir.resolve("info.log");
        String terminal = captureStandardError(() -> {
            Logging.configure(Level.INFO, file);
            LoggerFactory.getLogger("io.ccdstream.cli.Demo").info("pipeline progress");
            LoggerFactory.getLogger("kafka.server.BrokerServer").warn("broker warning");
        });

        assertThat(terminal).contains("pipeline progress").doesNotContain("broker warning");
        assertThat(Files.readString(file)).contains("broker warning");
    }

    @Test
    void shouldRefuseAnUnknownLevel() {
        CommandRun run = CommandRun.of("--log-level", "LOUD", "topics", "--bootstrap-servers", "127.0.0.1:1");

        assertThat(run.exit()).isNotZero();
        assertThat(run.output()).contains("--log-level").contains("LOUD");
    }

    private static String captureStandardError(Runnable action) {
        ByteArrayOutputStream captured = new ByteArrayOutputStream();
        PrintStream err = System.err;
        System.setErr(new PrintStream(captured, true, StandardCharsets.UTF_8));
        try {
            action.run();
        } finally {
            System.setErr(err);
        }
        return captured.toString(StandardCharsets.UTF_8);
    }
}
