package io.ccdstream.cli;

import io.ccdstream.streams.pipeline.PipelineConfig;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine.Option;

/**
 * Where claim-checked images may be fetched from, for the scorer and the trainer: shortcuts for the
 * {@code ccd.claim.check.*} settings.
 */
final class ClaimCheckOptions {

    @Option(
            names = "--allow-file-root",
            paramLabel = "DIR",
            description = "Directory that file: claim checks may point into; repeatable ("
                    + PipelineConfig.CLAIM_CHECK_ALLOWED_ROOTS + "; default: none).")
    List<Path> allowedFileRoots = new ArrayList<>();

    @Option(
            names = "--allow-host",
            paramLabel = "HOST[:PORT]",
            description = "Host that http(s): claim checks may point to; repeatable ("
                    + PipelineConfig.CLAIM_CHECK_ALLOWED_HOSTS + "; default: none).")
    List<String> allowedHosts = new ArrayList<>();

    @Option(
            names = "--fetch-timeout",
            paramLabel = "DURATION",
            description = "Longest an http(s) claim-check fetch may take, e.g. PT10S ("
                    + PipelineConfig.CLAIM_CHECK_TIMEOUT_MS + " in milliseconds; default: PT10S).")
    Duration fetchTimeout;

    /** Adds the options given to {@code settings}. */
    void addTo(CommandSettings settings) {
        if (!allowedFileRoots.isEmpty()) {
            settings.put(
                    PipelineConfig.CLAIM_CHECK_ALLOWED_ROOTS,
                    allowedFileRoots.stream().map(Path::toString).toList(),
                    "--allow-file-root");
        }
        if (!allowedHosts.isEmpty()) {
            settings.put(PipelineConfig.CLAIM_CHECK_ALLOWED_HOSTS, List.copyOf(allowedHosts), "--allow-host");
        }
        if (fetchTimeout != null) {
            settings.put(PipelineConfig.CLAIM_CHECK_TIMEOUT_MS, fetchTimeout.toMillis(), "--fetch-timeout");
        }
    }
}
