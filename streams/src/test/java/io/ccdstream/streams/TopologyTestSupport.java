package io.ccdstream.streams;

import io.ccdstream.registry.EmbeddedSchemaRegistry;
import io.ccdstream.topics.RegistrySerdes;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.util.Map;
import java.util.Properties;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.TopologyTestDriver;

/** A TopologyTestDriver configured as the services are, with a real (in-memory) schema registry. */
public final class TopologyTestSupport implements AutoCloseable {

    public final EmbeddedSchemaRegistry registry = EmbeddedSchemaRegistry.inMemory();
    public final CcdStreamsConfig config = new CcdStreamsConfig(Map.of(
            CcdStreamsConfig.BOOTSTRAP_SERVERS, "unused:9092", CcdStreamsConfig.SCHEMA_REGISTRY_URL, registry.url()));
    public final RegistrySerdes serdes = new RegistrySerdes(config.serdeSettings());

    /** A driver running {@code topology} as {@code service}. */
    public TopologyTestDriver driver(Topology topology, String service) {
        Properties props = new Properties();
        props.putAll(config.streamsProperties(service));
        // a directory of its own, so that test runs in parallel (other clones, other forks) never share stores
        try {
            props.put(
                    StreamsConfig.STATE_DIR_CONFIG,
                    Files.createTempDirectory("ccd-ttd-" + service).toString());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return new TopologyTestDriver(topology, props);
    }

    @Override
    public void close() {
        registry.close();
    }
}
