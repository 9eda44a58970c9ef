package io.ccdstream.cli;

import io.ccdstream.streams.CcdStreamsConfig;
import io.ccdstream.streams.pipeline.Pipeline;
import io.ccdstream.streams.query.QueryServer;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicBoolean;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** Runs services of the pipeline against an existing Kafka cluster and schema registry. */
@Command(name = "run", mixinStandardHelpOptions = true,
    description = "Run pipeline services (scorer, bias, labeler) against an existing cluster until stopped.")
final class RunCommand implements Callable<Integer> {

    @Parameters(arity = "1..*", paramLabel = "SERVICE", description = "Services to run: ${COMPLETION-CANDIDATES}.")
    List<Pipeline.Service> services;

    @Option(names = "--work-dir", defaultValue = "ccd-work",
        description = "Where the bundled model is extracted (default ${DEFAULT-VALUE}).")
    Path workDir;

    @Option(names = "--query-host", defaultValue = "127.0.0.1",
        description = "Address of the REST query API (default ${DEFAULT-VALUE}; 0.0.0.0 serves other hosts).")
    String queryHost;

    @Option(names = "--query-port", defaultValue = "8090", description = "Port of the REST query API (default ${DEFAULT-VALUE}).")
    int queryPort;

    @Mixin
    ClusterOptions cluster;

    @Mixin
    ModelOptions model;

    @Override
    public Integer call() throws Exception {
        CcdStreamsConfig config = cluster.streamsConfig();
        AtomicBoolean stop = new AtomicBoolean();
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> Shutdown.requestAndAwait(stop, stopped)));
        try (Pipeline pipeline = Pipeline.start(config, model.settings(workDir), services);
             QueryServer queries = QueryServer.start(queryHost, queryPort,
                 pipeline.streams(Pipeline.Service.labeler).orElse(null),
                 services.contains(Pipeline.Service.scorer) ? pipeline.checkpoints()::current : null)) {
            System.out.printf("Running %s against %s (registry %s); queries at %s; stop with SIGTERM or Ctrl-C%n",
                services, config.bootstrapServers(), config.schemaRegistryUrl(), queries.url());
            while (!stop.get() && pipeline.isAlive()) {
                Thread.sleep(500);
            }
            if (pipeline.failure().isPresent()) {
                System.err.println("ccd: a service failed: " + pipeline.failure().get());
                return 1;
            }
            return 0;
        } finally {
            stopped.countDown();
        }
    }
}
