package io.ccdstream.cli;

import picocli.CommandLine.Command;

/** Developer tools: retraining and reporting the bundled mini-CLIP. Hidden from {@code ccd --help}. */
@Command(
        name = "dev",
        hidden = true,
        mixinStandardHelpOptions = true,
        description = "Developer tools (not needed to label images).",
        subcommands = {TrainMiniClip.class, ReportMiniClip.class})
final class DevCommand {}
