package io.ccdstream.cli;

import java.io.IOException;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.TreeMap;
import picocli.CommandLine.Option;

/**
 * Settings by key, the same in every command that has them: any key of the README's configuration
 * table (cluster, labelling and trainer settings) or a {@code kafka.*} pass-through setting, from
 * {@code --config-file} (lowest precedence), {@code CCD_*} environment variables, then
 * {@code --config}; the command's own options override all three.
 */
final class ConfigOptions {

    @Option(
            names = "--config-file",
            paramLabel = "FILE",
            description = "Java properties file of settings (keys as for --config); repeatable, a later file wins. "
                    + "Environment variables CCD_<KEY> (e.g. CCD_ALPHA for ccd.alpha) override it, --config overrides both "
                    + "and the command's own options override all.")
    List<Path> files = new ArrayList<>();

    @Option(
            names = "--config",
            paramLabel = "KEY=VALUE",
            description = "A setting of the README's configuration table (cluster, ccd.* labelling, ccd.trainer.*) "
                    + "or a kafka.* client setting; repeatable. Unknown keys are refused.")
    Map<String, String> entries = new LinkedHashMap<>();

    /** The settings of the files, of the process's environment and of {@code --config}. */
    CommandSettings settings() {
        return settings(System.getenv());
    }

    /** The settings of the files, of {@code environment} and of {@code --config}. */
    CommandSettings settings(Map<String, String> environment) {
        CommandSettings settings = new CommandSettings();
        for (Path file : files) {
            String origin = "--config-file " + file;
            read(file).forEach((key, value) -> settings.put(key, value, origin));
        }
        new TreeMap<>(environment)
                .forEach((variable, value) -> ConfigKeys.keyOfEnvironmentVariable(variable)
                        .ifPresent(key -> settings.put(key, value, "environment variable " + variable)));
        entries.forEach((key, value) -> settings.put(key, value, "--config " + key));
        return settings;
    }

    private static Map<String, String> read(Path file) {
        Properties properties = new Properties();
        try (Reader in = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            properties.load(in);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read --config-file " + file + ": " + e.getMessage(), e);
        }
        Map<String, String> settings = new TreeMap<>();
        properties.stringPropertyNames().forEach(key -> settings.put(key, properties.getProperty(key)));
        return settings;
    }
}
