package io.ccdstream.cli;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.encoder.PatternLayoutEncoder;
import ch.qos.logback.classic.filter.ThresholdFilter;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.ConsoleAppender;
import ch.qos.logback.core.FileAppender;
import java.nio.file.Path;
import java.util.Map;
import org.slf4j.LoggerFactory;

/**
 * Where the logs of a command go. The terminal shows the pipeline's own warnings and errors (or what
 * {@code --log-level} asks for); everything else, Kafka's internal retries and recoverable metadata
 * warnings included, goes to a log file (by default {@code ccd-data/logs/ccd.log}, or under the
 * demo's data directory). Logback is configured here rather than in XML because the file's place is
 * a command-line option.
 */
final class Logging {

    /** The file a command logs to when {@code --log-file} is not given and the command names no home. */
    static final Path DEFAULT_FILE = Path.of("ccd-data", "logs", "ccd.log");

    private static final String PATTERN = "%d{HH:mm:ss.SSS} %-5level %logger{24} - %msg%n";

    /** Levels of the libraries' loggers in the file: their INFO is noise, their WARN may matter. */
    private static final Map<String, Level> LIBRARIES = Map.of(
            "org.apache.kafka", Level.WARN,
            "kafka", Level.WARN,
            "state.change.logger", Level.WARN,
            "org.apache.kafka.streams.StreamsConfig", Level.ERROR,
            "ai.djl", Level.WARN,
            "ai.djl.util.cuda", Level.ERROR,
            "org.eclipse.jetty", Level.WARN,
            "io.javalin", Level.WARN);

    private Logging() {}

    /**
     * Sends the project's logs of {@code consoleLevel} and above to standard error, and every log
     * (the project's from INFO, the libraries' from WARN) to {@code file}.
     */
    static void configure(Level consoleLevel, Path file) {
        LoggerContext context = (LoggerContext) LoggerFactory.getILoggerFactory();
        context.reset();

        FileAppender<ILoggingEvent> toFile = new FileAppender<>();
        toFile.setContext(context);
        toFile.setName("FILE");
        toFile.setFile(file.toAbsolutePath().toString());
        toFile.setAppend(true);
        toFile.setEncoder(encoder(context));
        toFile.start();

        ConsoleAppender<ILoggingEvent> console = new ConsoleAppender<>();
        console.setContext(context);
        console.setName("CONSOLE");
        console.setTarget("System.err");
        console.setEncoder(encoder(context));
        ThresholdFilter threshold = new ThresholdFilter();
        threshold.setLevel(consoleLevel.toString());
        threshold.setContext(context);
        threshold.start();
        console.addFilter(threshold);
        console.start();

        Logger root = context.getLogger(Logger.ROOT_LOGGER_NAME);
        root.setLevel(Level.WARN);
        root.addAppender(toFile);
        LIBRARIES.forEach((name, level) -> context.getLogger(name).setLevel(level));
        Logger project = context.getLogger("io.ccdstream");
        project.setLevel(consoleLevel.isGreaterOrEqual(Level.INFO) ? Level.INFO : consoleLevel);
        project.addAppender(console);
    }

    private static PatternLayoutEncoder encoder(LoggerContext context) {
        PatternLayoutEncoder encoder = new PatternLayoutEncoder();
        encoder.setContext(context);
        encoder.setPattern(PATTERN);
        encoder.start();
        return encoder;
    }

    /** A command that keeps its logs under a directory of its own (the demo's data directory). */
    interface Home {

        /** The directory of its log file. */
        Path logDirectory();
    }
}
