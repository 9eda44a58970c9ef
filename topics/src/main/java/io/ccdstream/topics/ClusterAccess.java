package io.ccdstream.topics;

import java.util.Optional;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.errors.AuthenticationException;
import org.apache.kafka.common.errors.AuthorizationException;
import org.apache.kafka.common.errors.SaslAuthenticationException;
import org.apache.kafka.common.errors.SslAuthenticationException;

/**
 * Turns the security failures of a Kafka client (SASL authentication, TLS handshake, missing ACLs) into one
 * clear message naming the cause and the settings to check, so that a command with wrong credentials fails
 * with that message instead of a stack of client internals.
 */
public final class ClusterAccess {

    private ClusterAccess() {}

    /** A Kafka client could not authenticate with, or was refused by, the cluster. */
    public static final class ClusterAccessException extends KafkaException {
        private static final long serialVersionUID = 1L;

        ClusterAccessException(String message, Throwable cause) {
            super(message, cause);
        }
    }

    /**
     * The security failure in {@code failure}'s causes, explained, if there is one.
     *
     * @param action what the client was doing, e.g. {@code "create the topics"}
     */
    public static Optional<ClusterAccessException> explain(Throwable failure, String action) {
        for (Throwable cause = failure; cause != null; cause = cause.getCause()) {
            if (cause instanceof ClusterAccessException known) {
                return Optional.of(known);
            }
            String why = reason(cause);
            if (why != null) {
                return Optional.of(new ClusterAccessException(
                        "Cannot " + action + ": " + why + " ("
                                + cause.getClass().getSimpleName() + ": " + cause.getMessage() + ")",
                        cause));
            }
            if (cause == cause.getCause()) {
                break;
            }
        }
        return Optional.empty();
    }

    /** {@code failure}, or the explained security failure among its causes. */
    public static RuntimeException translate(RuntimeException failure, String action) {
        return explain(failure, action).<RuntimeException>map(e -> e).orElse(failure);
    }

    private static String reason(Throwable cause) {
        if (cause instanceof SaslAuthenticationException) {
            return "SASL authentication with the cluster failed; check the user and password in"
                    + " kafka.sasl.jaas.config and kafka.sasl.mechanism";
        }
        if (cause instanceof SslAuthenticationException) {
            return "the TLS handshake with the cluster failed; check kafka.security.protocol and"
                    + " kafka.ssl.truststore.* (the broker's certificate must be trusted and match its host name)";
        }
        if (cause instanceof AuthenticationException) {
            return "authentication with the cluster failed; check kafka.security.protocol and the kafka.sasl.*"
                    + " / kafka.ssl.* settings";
        }
        if (cause instanceof AuthorizationException) {
            return "the cluster refused the request (not authorized); check the ACLs of the user";
        }
        return null;
    }
}
