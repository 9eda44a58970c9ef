package io.ccdstream.embedded;

import io.ccdstream.topics.TopicSpec;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * Runs a broker in a separate JVM so that a test can kill it with SIGKILL.
 *
 * <p>Arguments: data directory, port (0 = free), topic, record count. Prints {@code BOOTSTRAP <servers>} once
 * started and {@code ACKED <count>} once every record is acknowledged, then waits. It exits by itself when its
 * standard input closes (the test JVM went away) or after {@link #MAX_LIFETIME_MS}, so it never outlives a test.
 */
public final class ChildBrokerMain {

    static final String BOOTSTRAP_LINE = "BOOTSTRAP ";
    static final String ACKED_LINE = "ACKED ";
    private static final long MAX_LIFETIME_MS = 120_000;

    private ChildBrokerMain() {}

    public static void main(String[] args) throws Exception {
        exitWhenParentGoes();
        Path dataDir = Path.of(args[0]);
        int port = Integer.parseInt(args[1]);
        String topic = args[2];
        int count = Integer.parseInt(args[3]);
        // Deliberately never closed: the test kills this JVM.
        EmbeddedKafkaBroker broker = EmbeddedKafkaBroker.start(
                EmbeddedKafkaConfig.builder().setDataDir(dataDir).optPort(port).build());
        System.out.println(BOOTSTRAP_LINE + broker.bootstrapServers());
        TopicAdmin.ensureTopics(broker.bootstrapServers(), List.of(new TopicSpec(topic, 1, (short) 1, Map.of())));
        TestClients.produce(broker.bootstrapServers(), topic, TestClients.values(topic, count));
        System.out.println(ACKED_LINE + count);
        System.out.flush();
        Thread.sleep(MAX_LIFETIME_MS);
        Runtime.getRuntime().halt(2);
    }

    private static void exitWhenParentGoes() {
        Thread watcher = new Thread(
                () -> {
                    try {
                        while (System.in.read() >= 0) {
                            // keep reading until the parent closes the pipe
                        }
                    } catch (IOException e) {
                        // treated like a closed pipe
                    }
                    Runtime.getRuntime().halt(3);
                },
                "parent-watcher");
        watcher.setDaemon(true);
        watcher.start();
    }
}
