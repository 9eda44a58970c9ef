package io.ccdstream.embedded;

import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * An extra client listener of an {@link EmbeddedKafkaBroker} with security: SASL (PLAIN and SCRAM-SHA-256/512)
 * over plaintext or TLS, or TLS alone. The broker keeps its PLAINTEXT listener for itself (inter-broker traffic,
 * readiness checks, topic creation and the embedded registry); a secured listener is for clients that should
 * connect the way they would to a secured cluster.
 *
 * <p>For SASL listeners every user in {@link #users()} may log in with PLAIN
 * ({@code listener.name.<l>.plain.sasl.jaas.config} with {@code user_<name>="<password>"}) and with SCRAM-SHA-256
 * and SCRAM-SHA-512 (credentials created through the Admin API once the broker runs). For TLS listeners
 * {@link #ssl()} holds the broker's {@code ssl.*} settings (at least {@code ssl.keystore.location} and
 * {@code ssl.keystore.password}), applied to this listener only.
 *
 * @param name     listener name, e.g. {@code SASL}; not {@code PLAINTEXT} or {@code CONTROLLER}
 * @param protocol {@code SASL_PLAINTEXT}, {@code SSL} or {@code SASL_SSL}
 * @param port     port, 0 for a free one
 * @param users    user name to password, for SASL listeners
 * @param ssl      broker {@code ssl.*} settings, for TLS listeners
 */
public record SecuredListener(
        String name, String protocol, int port, Map<String, String> users, Map<String, String> ssl) {

    /** Protocols a secured listener may use. */
    public static final Set<String> PROTOCOLS = Set.of("SASL_PLAINTEXT", "SSL", "SASL_SSL");

    /** SASL mechanisms a SASL listener enables. */
    public static final String MECHANISMS = "PLAIN,SCRAM-SHA-256,SCRAM-SHA-512";

    /** Validates and copies the settings. */
    public SecuredListener {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(protocol, "protocol");
        name = name.toUpperCase(Locale.ROOT);
        if (!name.matches("[A-Z][A-Z0-9_]*")
                || name.equals(BrokerProperties.CLIENT_LISTENER)
                || name.equals(BrokerProperties.CONTROLLER_LISTENER)) {
            throw new IllegalArgumentException("listener name must be letters, digits and '_', and neither "
                    + BrokerProperties.CLIENT_LISTENER + " nor " + BrokerProperties.CONTROLLER_LISTENER + ", got '"
                    + name + "'");
        }
        if (!PROTOCOLS.contains(protocol)) {
            throw new IllegalArgumentException("listener " + name + ": protocol must be one of " + PROTOCOLS);
        }
        if (port < 0 || port > 65_535) {
            throw new IllegalArgumentException("listener " + name + ": port must be in [0, 65535], got " + port);
        }
        users = Map.copyOf(Objects.requireNonNull(users, "users"));
        ssl = Map.copyOf(Objects.requireNonNull(ssl, "ssl"));
        if (protocol.startsWith("SASL_") && users.isEmpty()) {
            throw new IllegalArgumentException("listener " + name + " (" + protocol + ") needs at least one user");
        }
        if (!protocol.equals("SASL_PLAINTEXT") && !ssl.containsKey("ssl.keystore.location")) {
            throw new IllegalArgumentException(
                    "listener " + name + " (" + protocol + ") needs ssl.keystore.location and its password");
        }
        for (String key : ssl.keySet()) {
            if (!key.startsWith("ssl.")) {
                throw new IllegalArgumentException("listener " + name + ": '" + key + "' is not an ssl.* setting");
            }
        }
        for (String user : users.keySet()) {
            if (!user.matches("[A-Za-z0-9_.-]+")) {
                throw new IllegalArgumentException("listener " + name + ": invalid user name '" + user + "'");
            }
        }
    }

    /** A SASL_PLAINTEXT listener on a free port accepting {@code users} (name to password). */
    public static SecuredListener saslPlaintext(String name, Map<String, String> users) {
        return new SecuredListener(name, "SASL_PLAINTEXT", 0, users, Map.of());
    }

    /** An SSL listener on a free port with the broker's {@code ssl.*} settings (keystore...). */
    public static SecuredListener ssl(String name, Map<String, String> ssl) {
        return new SecuredListener(name, "SSL", 0, Map.of(), ssl);
    }

    /** A SASL_SSL listener on a free port: {@code users} over TLS with the broker's {@code ssl.*} settings. */
    public static SecuredListener saslSsl(String name, Map<String, String> users, Map<String, String> ssl) {
        return new SecuredListener(name, "SASL_SSL", 0, users, ssl);
    }

    /** Whether clients authenticate with SASL on this listener. */
    public boolean isSasl() {
        return protocol.startsWith("SASL_");
    }

    /** Whether this listener speaks TLS. */
    public boolean isTls() {
        return !protocol.equals("SASL_PLAINTEXT");
    }

    /** The broker configs of this listener (SASL mechanisms and JAAS, TLS settings), all prefixed with it. */
    Map<String, String> brokerProperties() {
        String prefix = "listener.name." + name.toLowerCase(Locale.ROOT) + ".";
        Map<String, String> props = new LinkedHashMap<>();
        if (isSasl()) {
            props.put(prefix + "sasl.enabled.mechanisms", MECHANISMS);
            StringBuilder plain = new StringBuilder("org.apache.kafka.common.security.plain.PlainLoginModule required");
            users.forEach((user, password) -> plain.append(" user_")
                    .append(user)
                    .append("=\"")
                    .append(escape(password))
                    .append('"'));
            props.put(prefix + "plain.sasl.jaas.config", plain.append(';').toString());
            String scram = "org.apache.kafka.common.security.scram.ScramLoginModule required;";
            props.put(prefix + "scram-sha-256.sasl.jaas.config", scram);
            props.put(prefix + "scram-sha-512.sasl.jaas.config", scram);
        }
        ssl.forEach((key, value) -> props.put(prefix + key, value));
        return props;
    }

    private static String escape(String value) {
        return value.replace("\\", "\\\\").replace("\"", "\\\"");
    }

    @Override
    public String toString() {
        // never the passwords
        return "SecuredListener[" + name + " " + protocol + ", port " + port + ", users " + users.keySet() + "]";
    }
}
