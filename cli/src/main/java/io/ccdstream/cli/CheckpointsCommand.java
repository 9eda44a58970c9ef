package io.ccdstream.cli;

import io.ccdstream.schemas.Checkpoint;
import io.ccdstream.streams.CcdStreamsConfig;
import io.ccdstream.topics.RegistrySerdes;
import io.ccdstream.topics.rollout.CheckpointLog;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** Lists the classifier checkpoints and their rollout states; promotes or rolls back by hand. */
@Command(
        name = "checkpoints",
        mixinStandardHelpOptions = true,
        description = "The classifier checkpoints on ccd.checkpoints and their rollout states (CANDIDATE, PROMOTED,"
                + " REJECTED); a person's overrides: promote a version, roll back to an earlier one.",
        subcommands = {
            CheckpointsCommand.ListCommand.class,
            CheckpointsCommand.PromoteCommand.class,
            CheckpointsCommand.RollbackCommand.class
        })
final class CheckpointsCommand {

    private static final Duration TIMEOUT = Duration.ofSeconds(30);

    /** What every subcommand takes: the cluster, the settings and the class set. */
    abstract static class Base {

        @Mixin
        ClusterOptions cluster;

        @Mixin
        ConfigOptions configOptions;

        @Option(
                names = "--class-set-id",
                paramLabel = "ID",
                description = "The class set (default: the only one on the topic).")
        String classSetId;

        CheckpointLog log() {
            CommandSettings given = configOptions.settings();
            cluster.addTo(given);
            CcdStreamsConfig config = given.streams();
            return new CheckpointLog(
                    config.bootstrapServers(),
                    new RegistrySerdes(config.serdeSettings()),
                    config.clientOverrides(),
                    Clock.systemUTC());
        }

        String classSet(List<Checkpoint> records) {
            if (classSetId != null) {
                return classSetId;
            }
            List<String> known = CheckpointLog.classSets(records);
            if (known.size() != 1) {
                throw new IllegalArgumentException(
                        known.isEmpty()
                                ? "no checkpoint has been published yet"
                                : "several class sets have checkpoints, choose one with --class-set-id: " + known);
            }
            return known.get(0);
        }
    }

    /** {@code ccd checkpoints list}. */
    @Command(name = "list", mixinStandardHelpOptions = true, description = "Every version and its latest state.")
    static final class ListCommand extends Base implements Callable<Integer> {

        @Override
        public Integer call() {
            List<Checkpoint> records = log().read(TIMEOUT);
            String classSet = classSet(records);
            System.out.printf(
                    "%-3s %-8s %-10s %-10s %-9s %-9s %s%n",
                    "", "version", "phase", "state", "heldout", "train", "reason");
            for (CheckpointLog.Entry entry : CheckpointLog.history(records, classSet)) {
                Checkpoint c = entry.checkpoint();
                System.out.printf(
                        "%-3s v%-7d %-10s %-10s %-9s %-9.1f %s%n",
                        entry.serving() ? "*" : "",
                        c.getVersion(),
                        c.getPhase(),
                        entry.state(),
                        c.getMetrics().getHeldOutMap() == null
                                ? "-"
                                : String.format("%.1f", c.getMetrics().getHeldOutMap()),
                        c.getMetrics().getTrainLabelMap(),
                        c.getStatusReason() == null ? "" : c.getStatusReason());
            }
            return 0;
        }
    }

    /** {@code ccd checkpoints promote VERSION}. */
    @Command(
            name = "promote",
            mixinStandardHelpOptions = true,
            description =
                    "Mark VERSION PROMOTED: scorers serve it within their next poll, whatever the shadow verdict.")
    static final class PromoteCommand extends Base implements Callable<Integer> {

        @Parameters(paramLabel = "VERSION", description = "The checkpoint version.")
        long version;

        @Override
        public Integer call() {
            CheckpointLog log = log();
            String classSet = classSet(log.read(TIMEOUT));
            log.promote(classSet, version, "promoted by hand", TIMEOUT);
            System.out.printf("Checkpoint v%d of class set %s is PROMOTED%n", version, classSet);
            return 0;
        }
    }

    /** {@code ccd checkpoints rollback [VERSION]}. */
    @Command(
            name = "rollback",
            mixinStandardHelpOptions = true,
            description = "Mark the checkpoint in use REJECTED and VERSION (default: the one promoted before it)"
                    + " PROMOTED: scorers return to it; labels keep the version that made them.")
    static final class RollbackCommand extends Base implements Callable<Integer> {

        @Parameters(arity = "0..1", paramLabel = "VERSION", description = "The version to return to.")
        Long version;

        @Override
        public Integer call() {
            CheckpointLog log = log();
            String classSet = classSet(log.read(TIMEOUT));
            Checkpoint restored = log.rollback(classSet, Optional.ofNullable(version), TIMEOUT);
            System.out.printf(
                    "Class set %s rolled back to v%d (%s)%n",
                    classSet, restored.getVersion(), restored.getStatusReason());
            return 0;
        }
    }

    /** {@code ccd relabel --checkpoint-above N}, registered at the top level. */
    @Command(
            name = "relabel",
            mixinStandardHelpOptions = true,
            description = "Send again to ccd.images the images whose latest label was made with a checkpoint above"
                    + " --checkpoint-above (e.g. after a rollback), so that the scorer scores them with the"
                    + " checkpoint in use and their labels are replaced. Images past ccd.images' retention are"
                    + " listed and keep their labels.")
    static final class RelabelCommand extends Base implements Callable<Integer> {

        @Option(
                names = "--checkpoint-above",
                required = true,
                paramLabel = "N",
                description = "Relabel images labelled with a checkpoint version above N.")
        long above;

        @Override
        public Integer call() {
            CommandSettings given = configOptions.settings();
            cluster.addTo(given);
            CcdStreamsConfig config = given.streams();
            RegistrySerdes serdes = new RegistrySerdes(config.serdeSettings());
            String classSet = classSet(log().read(TIMEOUT));
            io.ccdstream.topics.rollout.Relabel.Result result = new io.ccdstream.topics.rollout.Relabel(
                            config.bootstrapServers(), serdes, config.clientOverrides())
                    .above(classSet, above, Duration.ofMinutes(5));
            System.out.printf(
                    "%d images of class set %s were labelled with a checkpoint above v%d; %d sent again to be"
                            + " relabelled, %d no longer on ccd.images (they keep their labels)%n",
                    result.matching(),
                    classSet,
                    above,
                    result.resent(),
                    result.missing().size());
            return 0;
        }
    }
}
