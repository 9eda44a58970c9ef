package io.ccdstream.embedded;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.ScramCredentialInfo;
import org.apache.kafka.clients.admin.ScramMechanism;
import org.apache.kafka.clients.admin.UserScramCredentialAlteration;
import org.apache.kafka.clients.admin.UserScramCredentialUpsertion;
import org.apache.kafka.clients.admin.UserScramCredentialsDescription;

/**
 * Creates the SCRAM-SHA-256 and SCRAM-SHA-512 credentials of the users of SASL listeners through the Admin API
 * of the PLAINTEXT listener, and waits until the broker knows them.
 */
final class ScramUsers {

    private static final int ITERATIONS = 4096;

    private ScramUsers() {}

    static void create(String bootstrapServers, List<SecuredListener> listeners, Duration timeout) {
        Map<String, String> users = new LinkedHashMap<>();
        listeners.stream().filter(SecuredListener::isSasl).forEach(l -> users.putAll(l.users()));
        if (users.isEmpty()) {
            return;
        }
        long deadline = System.nanoTime() + timeout.toNanos();
        try (Admin admin = Admin.create(Map.of(
                AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG,
                bootstrapServers,
                AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG,
                (int) Math.min(Integer.MAX_VALUE, timeout.toMillis())))) {
            // one request per mechanism: a request may alter each user only once
            for (ScramMechanism mechanism : List.of(ScramMechanism.SCRAM_SHA_256, ScramMechanism.SCRAM_SHA_512)) {
                List<UserScramCredentialAlteration> upserts = new ArrayList<>();
                users.forEach((user, password) -> upserts.add(new UserScramCredentialUpsertion(
                        user, new ScramCredentialInfo(mechanism, ITERATIONS), password)));
                admin.alterUserScramCredentials(upserts).all().get(timeout.toMillis(), TimeUnit.MILLISECONDS);
            }
            // the controller committed them; wait until the broker's metadata has them too
            while (!known(admin, users.keySet().stream().toList())) {
                if (System.nanoTime() > deadline) {
                    throw new EmbeddedKafkaException("SCRAM credentials of " + users.keySet()
                            + " were not visible on the broker within " + timeout);
                }
                Thread.sleep(50);
            }
        } catch (ExecutionException | TimeoutException e) {
            throw new EmbeddedKafkaException(
                    "Cannot create the SCRAM credentials of " + users.keySet() + ": " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new EmbeddedKafkaException("Interrupted while creating SCRAM credentials", e);
        }
    }

    private static boolean known(Admin admin, List<String> users) throws InterruptedException {
        try {
            Map<String, UserScramCredentialsDescription> described =
                    admin.describeUserScramCredentials(users).all().get(5, TimeUnit.SECONDS);
            return described.keySet().containsAll(users)
                    && described.values().stream()
                            .allMatch(d -> d.credentialInfos().size() == 2);
        } catch (ExecutionException | TimeoutException e) {
            return false;
        }
    }
}
