package io.ccdstream.streams.integration;

import io.ccdstream.streams.CcdStreamsConfig;
import io.ccdstream.testsupport.TestCluster;

/** Streams settings of the services of a test on a {@link TestCluster}. */
final class StreamsTestConfig {

    private StreamsTestConfig() {}

    /** Settings on {@code cluster}; {@code stateSubDir} keeps instances apart. */
    static CcdStreamsConfig of(TestCluster cluster, String stateSubDir) {
        return CcdStreamsConfig.of(
                cluster.bootstrapServers(),
                cluster.registryUrl(),
                cluster.dataDir().resolve("streams").resolve(stateSubDir));
    }
}
