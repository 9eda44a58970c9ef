package io.ccdstream.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;

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
            BenchCommand.class,
            DevCommand.class,
            CommandLine.HelpCommand.class
        })
public final class Ccd {

    private Ccd() {}

    /** Entry point. */
    public static void main(String[] args) {
        System.exit(commandLine().execute(args));
    }

    /** The configured command line, also used by tests. */
    public static CommandLine commandLine() {
        CommandLine commandLine = new CommandLine(new Ccd());
        commandLine.setExecutionExceptionHandler((exception, cmd, parseResult) -> {
            cmd.getErr().println(cmd.getColorScheme().errorText("ccd: " + describe(exception)));
            return 1;
        });
        return commandLine;
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
