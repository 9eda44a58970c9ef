package io.ccdstream.cli;

import ch.qos.logback.classic.Level;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParseResult;
import picocli.CommandLine.ScopeType;

/** The {@code ccd} command. */
@Command(
        name = "ccd",
        mixinStandardHelpOptions = true,
        version = "ccd-stream 0.1.0",
        description = "Labels a stream of images with multiple classes, without annotation, using "
                + "Classifier-guided CLIP Distillation on Kafka.",
        subcommands = {
            DemoCommand.class,
            RunCommand.class,
            TopicsCommand.class,
            IngestCommand.class,
            ExportCommand.class,
            CheckpointsCommand.class,
            CheckpointsCommand.RelabelCommand.class,
            ImportCommand.class,
            BenchCommand.class,
            DevCommand.class,
            CommandLine.HelpCommand.class
        })
public final class Ccd {

    @Option(
            names = "--log-level",
            scope = ScopeType.INHERIT,
            defaultValue = "WARN",
            paramLabel = "LEVEL",
            description = "Lowest level of the project's log lines shown on the terminal: ERROR, WARN, INFO, DEBUG "
                    + "(default ${DEFAULT-VALUE}). Everything is also written to the log file.")
    String logLevel;

    @Option(
            names = "--log-file",
            scope = ScopeType.INHERIT,
            paramLabel = "FILE",
            description = "Log file, appended to (default ccd-data/logs/ccd.log, or logs/ccd.log under the demo's "
                    + "data directory). Kafka's internal warnings go only there.")
    Path logFile;

    private Ccd() {}

    /** Entry point. */
    public static void main(String[] args) {
        System.exit(commandLine().execute(args));
    }

    /** The configured command line, also used by tests. */
    public static CommandLine commandLine() {
        Ccd ccd = new Ccd();
        CommandLine commandLine = new CommandLine(ccd);
        commandLine.setExecutionStrategy(parseResult -> {
            if (!helpRequested(parseResult)) {
                ccd.configureLogging(parseResult);
            }
            return new CommandLine.RunLast().execute(parseResult);
        });
        commandLine.setExecutionExceptionHandler((exception, cmd, parseResult) -> {
            cmd.getErr().println(cmd.getColorScheme().errorText("ccd: " + describe(exception)));
            return 1;
        });
        return commandLine;
    }

    private void configureLogging(ParseResult parseResult) {
        Level level = Level.toLevel(logLevel, null);
        if (level == null) {
            throw new CommandLine.ParameterException(
                    parseResult.commandSpec().commandLine(), "--log-level: not a level: " + logLevel);
        }
        Path file = logFile;
        if (file == null) {
            Object command = leaf(parseResult).commandSpec().userObject();
            file = command instanceof Logging.Home home ? home.logDirectory().resolve("ccd.log") : Logging.DEFAULT_FILE;
        }
        try {
            Files.createDirectories(file.toAbsolutePath().getParent());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create the log directory of " + file, e);
        }
        Logging.configure(level, file);
    }

    private static boolean helpRequested(ParseResult parseResult) {
        for (ParseResult p = parseResult; p != null; p = p.subcommand()) {
            if (p.isUsageHelpRequested()
                    || p.isVersionHelpRequested()
                    || p.commandSpec().userObject() instanceof CommandLine.HelpCommand) {
                return true;
            }
        }
        return leaf(parseResult).commandSpec().userObject() instanceof Ccd;
    }

    private static ParseResult leaf(ParseResult parseResult) {
        ParseResult leaf = parseResult;
        while (leaf.hasSubcommand()) {
            leaf = leaf.subcommand();
        }
        return leaf;
    }

    private static String describe(Throwable exception) {
        StringBuilder text = new StringBuilder(String.valueOf(exception.getMessage()));
        for (Throwable cause = exception.getCause(); cause != null; cause = cause.getCause()) {
            text.append("\n  caused by ")
                    .append(cause.getClass().getSimpleName())
                    .append(": ")
                    .append(cause.getMessage());
            if (cause == cause.getCause()) {
                break;
            }
        }
        return text.toString();
    }
}
