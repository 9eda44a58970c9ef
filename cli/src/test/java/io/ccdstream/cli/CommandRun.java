package io.ccdstream.cli;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;

/**
 * A {@code ccd} command line run in this JVM, with what it printed (standard output and error).
 *
 * @param exit   its exit code
 * @param output what it printed
 */
record CommandRun(int exit, String output) {

    /** Runs {@code args} as {@code ccd} would, capturing both output streams. */
    static CommandRun of(String... args) {
        ByteArrayOutputStream captured = new ByteArrayOutputStream();
        PrintStream out = System.out;
        PrintStream err = System.err;
        PrintStream both = new PrintStream(captured, true, StandardCharsets.UTF_8);
        System.setOut(both);
        System.setErr(both);
        int exit;
        try {
            exit = Ccd.commandLine().execute(args);
        } finally {
            System.setOut(out);
            System.setErr(err);
        }
        return new CommandRun(exit, captured.toString(StandardCharsets.UTF_8));
    }
}
