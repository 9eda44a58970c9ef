package io.ccdstream.topics;

import io.ccdstream.method.image.ImageLimits;
import java.nio.file.Path;
import java.time.Duration;
import org.apache.kafka.common.config.AbstractConfig;
import org.apache.kafka.common.config.ConfigDef;
import org.apache.kafka.common.config.ConfigDef.Importance;
import org.apache.kafka.common.config.ConfigDef.Range;
import org.apache.kafka.common.config.ConfigDef.Type;

/**
 * The claim-check settings ({@link ImageBytes}) as config keys under a prefix: the scorer's
 * {@code ccd.claim.check.*} and the trainer's {@code ccd.trainer.claim.check.*} are defined and read
 * here, once.
 *
 * @param prefix the keys' prefix, e.g. {@code ccd.} or {@code ccd.trainer.}
 */
public record ClaimCheckKeys(String prefix) {

    /** Default of the fetch timeout. */
    public static final long DEFAULT_TIMEOUT_MS = 10_000L;

    /** Directories that {@code file:} claim checks may point into. */
    public String allowedRoots() {
        return prefix + "claim.check.allowed.roots";
    }

    /** Hosts that {@code http(s):} claim checks may point to. */
    public String allowedHosts() {
        return prefix + "claim.check.allowed.hosts";
    }

    /** Largest claim-checked image fetched. */
    public String maxBytes() {
        return prefix + "claim.check.max.bytes";
    }

    /** Longest a fetch may take. */
    public String timeoutMs() {
        return prefix + "claim.check.timeout.ms";
    }

    /** Adds the four keys to {@code definition}. */
    public ConfigDef define(ConfigDef definition) {
        return definition
                .define(
                        allowedRoots(),
                        Type.LIST,
                        "",
                        Importance.MEDIUM,
                        "Directories that file: claim checks may point into; empty refuses file: claim checks.")
                .define(
                        allowedHosts(),
                        Type.LIST,
                        "",
                        Importance.MEDIUM,
                        "Hosts (host or host:port) that http(s): claim checks may point to; empty refuses them.")
                .define(
                        maxBytes(),
                        Type.LONG,
                        ImageLimits.DEFAULT_MAX_ENCODED_BYTES,
                        Range.atLeast(1),
                        Importance.LOW,
                        "Largest claim-checked image fetched.")
                .define(
                        timeoutMs(),
                        Type.LONG,
                        DEFAULT_TIMEOUT_MS,
                        Range.atLeast(1),
                        Importance.LOW,
                        "Longest an http(s) claim-check fetch may take.");
    }

    /** The claim-check rules that {@code config} holds under these keys. */
    public ImageBytes read(AbstractConfig config) {
        return new ImageBytes(
                config.getList(allowedRoots()).stream().map(Path::of).toList(),
                config.getList(allowedHosts()),
                config.getLong(maxBytes()),
                Duration.ofMillis(config.getLong(timeoutMs())));
    }
}
