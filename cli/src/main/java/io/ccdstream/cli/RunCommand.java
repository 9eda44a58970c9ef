package io.ccdstream.cli;

import io.ccdstream.data.synth.SynthClass;
import io.ccdstream.streams.CcdStreamsConfig;
import io.ccdstream.streams.dashboard.DashboardApi;
import io.ccdstream.streams.dashboard.DashboardFeed;
import io.ccdstream.streams.pipeline.Pipeline;
import io.ccdstream.streams.pipeline.PipelineSettings;
import io.ccdstream.streams.query.QueryServer;
import io.ccdstream.topics.ClusterAccess;
import io.ccdstream.trainer.TrainerService;
import io.ccdstream.trainer.Trainers;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicBoolean;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** Runs services of the pipeline against an existing Kafka cluster and schema registry. */
@Command(
        name = "run",
        mixinStandardHelpOptions = true,
        description =
                "Run pipeline services (scorer, bias, labeler, trainer, shadow, alerts) against an existing cluster until stopped.")
final class RunCommand implements Callable<Integer> {

    /** The services this command can run. */
    enum Service {
        scorer,
        bias,
        labeler,
        trainer,
        shadow,
        alerts
    }

    @Parameters(arity = "1..*", paramLabel = "SERVICE", description = "Services to run: ${COMPLETION-CANDIDATES}.")
    List<Service> services;

    @Option(
            names = "--work-dir",
            defaultValue = "ccd-work",
            description = "Where the bundled model is extracted and the trainer keeps its data, in trainer/ unless "
                    + "ccd.trainer.data.dir is set (default ${DEFAULT-VALUE}).")
    Path workDir;

    @Option(
            names = "--query-host",
            defaultValue = "127.0.0.1",
            description = "Address of the REST query API (default ${DEFAULT-VALUE}; 0.0.0.0 serves other hosts).")
    String queryHost;

    @Option(
            names = "--query-port",
            defaultValue = "8090",
            description = "Port of the REST query API (default ${DEFAULT-VALUE}).")
    int queryPort;

    @Option(
            names = "--ui",
            description = "Serve the web dashboard at /ui/ of the query API (the whole cluster's output, live).")
    boolean ui;

    @Option(
            names = "--state-dir",
            paramLabel = "DIR",
            description = "Kafka Streams state directory (" + CcdStreamsConfig.STATE_DIR + ", default "
                    + CcdStreamsConfig.DEFAULT_STATE_DIR + ").")
    Path stateDir;

    @Mixin
    ClusterOptions cluster;

    @Mixin
    ConfigOptions configOptions;

    @Mixin
    ClassSetOptions classSet;

    @Mixin
    LabellingOptions labelling;

    @Mixin
    ClaimCheckOptions claimChecks;

    /** The settings of this run: those of {@code --config-file}, {@code environment} and {@code --config}, then the options. */
    CommandSettings settings(Map<String, String> environment) {
        CommandSettings given = configOptions.settings(environment);
        cluster.addTo(given);
        if (stateDir != null) {
            given.put(CcdStreamsConfig.STATE_DIR, stateDir.toString(), "--state-dir");
        }
        classSet.addTo(given);
        labelling.addTo(given);
        claimChecks.addTo(given);
        return given;
    }

    @Override
    public Integer call() throws Exception {
        try {
            return runServices();
        } catch (RuntimeException e) {
            // a SASL or TLS failure of any client (streams, checkpoint follower, trainer) reads the same
            throw ClusterAccess.translate(e, "run " + services);
        }
    }

    private int runServices() throws Exception {
        CommandSettings given = settings(System.getenv());
        CcdStreamsConfig config = given.streams();
        PipelineSettings settings = given.pipeline().settings(workDir, SynthClass.names());
        List<Pipeline.Service> streaming = services.stream()
                .filter(s -> s != Service.trainer)
                .map(s -> Pipeline.Service.valueOf(s.name()))
                .distinct()
                .toList();
        AtomicBoolean stop = new AtomicBoolean();
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> Shutdown.requestAndAwait(stop, stopped)));
        try (Pipeline pipeline = Pipeline.start(
                        config,
                        settings,
                        streaming,
                        given.pipeline().shadow(),
                        given.pipeline().drift());
                TrainerService trainer = services.contains(Service.trainer)
                        ? Trainers.start(
                                config.bootstrapServers(),
                                config.schemaRegistryUrl(),
                                settings.classSet(),
                                settings.claimChecks(),
                                settings.refinesWithCam(),
                                workDir.resolve("trainer"),
                                given.trainerOverrides(settings),
                                pipeline.metrics())
                        : null;
                DashboardFeed dashboard = ui
                        ? DashboardFeed.of(
                                config,
                                settings.classSet().id(),
                                settings.classSet().classNames(),
                                streaming.contains(Pipeline.Service.scorer)
                                        ? () -> pipeline.checkpoints()
                                                .current(settings.classSet().id())
                                        : null)
                        : null;
                QueryServer queries = QueryServer.start(
                        queryHost,
                        queryPort,
                        pipeline.streams(Pipeline.Service.labeler).orElse(null),
                        streaming.contains(Pipeline.Service.scorer) ? pipeline.checkpoints()::current : null,
                        pipeline.metrics(),
                        dashboard == null ? null : dashboard.state())) {
            System.out.printf(
                    "Running %s against %s (registry %s); queries at %s%s%s; stop with SIGTERM or Ctrl-C%n",
                    services,
                    config.bootstrapServers(),
                    config.schemaRegistryUrl(),
                    queries.url(),
                    dashboard == null ? "" : "; dashboard at " + queries.url() + DashboardApi.PAGE,
                    trainer == null
                            ? ""
                            : trainer.checkpointBaseUrl()
                                    .map(u -> "; checkpoints at " + u)
                                    .orElse(""));
            long lastReport = 0;
            while (!stop.get() && pipeline.isAlive() && (trainer == null || trainer.isAlive())) {
                Thread.sleep(500);
                if (trainer != null && System.currentTimeMillis() - lastReport > 30_000) {
                    System.out.println("trainer: " + trainer.status().summary());
                    lastReport = System.currentTimeMillis();
                }
            }
            Optional<Throwable> failure =
                    pipeline.failure().or(() -> trainer == null ? Optional.empty() : trainer.failure());
            if (failure.isPresent()) {
                System.err.println("ccd: a service failed: " + failure.get());
                return 1;
            }
            return 0;
        } finally {
            stopped.countDown();
        }
    }
}
