package io.ccdstream.embedded;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.metadata.properties.MetaPropertiesEnsemble;
import org.apache.kafka.metadata.storage.Formatter;
import org.apache.kafka.server.common.MetadataVersion;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Formats a data directory for a single combined KRaft node the first time it is used, the way
 * {@code kafka-storage.sh format} does, and reads the cluster id of an already formatted one.
 */
final class StorageFormatter {

    private static final Logger LOG = LoggerFactory.getLogger(StorageFormatter.class);

    private StorageFormatter() {}

    /**
     * Formats {@code dataDir} unless it already holds a {@code meta.properties}; never touches existing data, so
     * a directory left behind by a crashed broker is handed to Kafka's own log recovery unchanged.
     *
     * @param dataDir the broker's log and metadata directory
     * @return the cluster id, new or read from {@code meta.properties}
     */
    static String formatIfNeeded(Path dataDir) {
        Optional<String> existing = readClusterId(dataDir);
        if (existing.isPresent()) {
            LOG.info("Reusing KRaft storage in {} (cluster id {})", dataDir, existing.get());
            return existing.get();
        }
        String clusterId = Uuid.randomUuid().toString();
        format(dataDir, clusterId);
        LOG.info("Formatted KRaft storage in {} with cluster id {}", dataDir, clusterId);
        return clusterId;
    }

    /**
     * Reads the cluster id from the directory's {@code meta.properties}.
     *
     * @param dataDir the broker's log and metadata directory
     * @return the cluster id, or empty when the directory is not formatted yet
     */
    static Optional<String> readClusterId(Path dataDir) {
        MetaPropertiesEnsemble ensemble = load(dataDir);
        if (!ensemble.errorLogDirs().isEmpty()) {
            throw new EmbeddedKafkaException("Cannot read " + MetaPropertiesEnsemble.META_PROPERTIES_NAME + " in "
                    + dataDir + ": check that the directory is readable and the file is not corrupt");
        }
        return ensemble.clusterId();
    }

    private static MetaPropertiesEnsemble load(Path dataDir) {
        String dir = dataDir.toString();
        try {
            Files.createDirectories(dataDir);
            return new MetaPropertiesEnsemble.Loader()
                    .addLogDirs(List.of(dir))
                    .addMetadataLogDir(dir)
                    .load();
        } catch (IOException e) {
            throw new EmbeddedKafkaException("Cannot open the Kafka data directory " + dataDir, e);
        }
    }

    private static void format(Path dataDir, String clusterId) {
        ByteArrayOutputStream output = new ByteArrayOutputStream();
        String dir = dataDir.toString();
        try (PrintStream printStream = new PrintStream(output, true, StandardCharsets.UTF_8)) {
            new Formatter()
                    .setPrintStream(printStream)
                    .setNodeId(BrokerProperties.NODE_ID)
                    .setClusterId(clusterId)
                    .setDirectories(List.of(dir))
                    .setMetadataLogDirectory(dir)
                    .setControllerListenerName(BrokerProperties.CONTROLLER_LISTENER)
                    .setReleaseVersion(MetadataVersion.latestProduction())
                    .run();
        } catch (Exception e) {
            throw new EmbeddedKafkaException(
                    "Cannot format the Kafka data directory " + dataDir + ": " + e.getMessage(), e);
        } finally {
            LOG.debug(
                    "Formatter output: {}",
                    output.toString(StandardCharsets.UTF_8).strip());
        }
    }
}
