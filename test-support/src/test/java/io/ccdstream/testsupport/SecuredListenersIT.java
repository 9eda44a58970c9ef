package io.ccdstream.testsupport;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.ccdstream.embedded.SecuredListener;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.common.errors.SaslAuthenticationException;
import org.apache.kafka.common.errors.SslAuthenticationException;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The test cluster's broker with a SASL_PLAINTEXT, an SSL and a SASL_SSL listener beside its PLAINTEXT one. */
class SecuredListenersIT {

    @TempDir
    static Path dir;

    private static TestCertificates certificates;
    private static TestCluster cluster;

    @BeforeAll
    static void start() {
        certificates = TestCertificates.generate(dir);
        cluster = TestCluster.start(
                dir.resolve("cluster"),
                1,
                SecuredListener.saslPlaintext("SASL", Map.of("alice", "alice-secret")),
                SecuredListener.ssl("TLS", certificates.brokerSsl()),
                SecuredListener.saslSsl("SASLTLS", Map.of("bob", "bob-secret"), certificates.brokerSsl()));
    }

    @AfterAll
    static void stop() {
        if (cluster != null) {
            cluster.close();
        }
    }

    @Test
    void shouldAcceptEverySaslMechanismWithTheRightPassword() throws Exception {
        for (String mechanism : new String[] {"PLAIN", "SCRAM-SHA-256", "SCRAM-SHA-512"}) {
            assertThat(describe(sasl(
                            cluster.bootstrapServers("SASL"), "SASL_PLAINTEXT", mechanism, "alice", "alice-secret")))
                    .as(mechanism)
                    .isEqualTo(1);
        }
    }

    @Test
    void shouldRefuseAWrongPasswordQuickly() {
        for (String mechanism : new String[] {"PLAIN", "SCRAM-SHA-256"}) {
            long started = System.nanoTime();
            assertThatThrownBy(() -> describe(
                            sasl(cluster.bootstrapServers("SASL"), "SASL_PLAINTEXT", mechanism, "alice", "wrong")))
                    .as(mechanism)
                    .hasCauseInstanceOf(SaslAuthenticationException.class);
            assertThat(TimeUnit.NANOSECONDS.toSeconds(System.nanoTime() - started))
                    .isLessThan(15);
        }
    }

    @Test
    void shouldServeTlsToClientsTrustingTheBrokerOnly() throws Exception {
        Map<String, Object> trusting = base(cluster.bootstrapServers("TLS"));
        trusting.put("security.protocol", "SSL");
        trusting.putAll(certificates.clientSsl());
        assertThat(describe(trusting)).isEqualTo(1);

        Map<String, Object> notTrusting = base(cluster.bootstrapServers("TLS"));
        notTrusting.put("security.protocol", "SSL");
        assertThatThrownBy(() -> describe(notTrusting)).hasCauseInstanceOf(SslAuthenticationException.class);
    }

    @Test
    void shouldAcceptSaslOverTls() throws Exception {
        Map<String, Object> settings =
                sasl(cluster.bootstrapServers("SASLTLS"), "SASL_SSL", "SCRAM-SHA-512", "bob", "bob-secret");
        settings.putAll(certificates.clientSsl());
        assertThat(describe(settings)).isEqualTo(1);
    }

    private static Map<String, Object> base(String bootstrap) {
        Map<String, Object> settings = new HashMap<>();
        settings.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        settings.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, 15_000);
        settings.put(AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, 10_000);
        return settings;
    }

    private static Map<String, Object> sasl(
            String bootstrap, String protocol, String mechanism, String user, String password) {
        Map<String, Object> settings = base(bootstrap);
        settings.put("security.protocol", protocol);
        settings.put("sasl.mechanism", mechanism);
        String module = mechanism.equals("PLAIN")
                ? "org.apache.kafka.common.security.plain.PlainLoginModule"
                : "org.apache.kafka.common.security.scram.ScramLoginModule";
        settings.put("sasl.jaas.config", module + " required username=\"" + user + "\" password=\"" + password + "\";");
        return settings;
    }

    private static int describe(Map<String, Object> settings) throws ExecutionException, InterruptedException {
        try (Admin admin = Admin.create(settings)) {
            return admin.describeCluster().nodes().get().size();
        }
    }
}
