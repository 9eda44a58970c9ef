package io.ccdstream.registry;

import java.util.Locale;
import java.util.Optional;

/**
 * Schema compatibility levels, with the names and meaning Confluent Schema Registry gives them.
 *
 * <p>Backward means a consumer using the new schema can read data written with the old one;
 * forward means a consumer still on the old schema can read data written with the new one.
 * Transitive levels check against every earlier version, the others only against the latest.
 */
public enum CompatibilityLevel {
    /** No check: any schema may follow any other. */
    NONE(false, false, false),
    /** The new schema can read data written with the latest version. The default. */
    BACKWARD(true, false, false),
    /** The new schema can read data written with every earlier version. */
    BACKWARD_TRANSITIVE(true, false, true),
    /** The latest version can read data written with the new schema. */
    FORWARD(false, true, false),
    /** Every earlier version can read data written with the new schema. */
    FORWARD_TRANSITIVE(false, true, true),
    /** Both {@link #BACKWARD} and {@link #FORWARD}. */
    FULL(true, true, false),
    /** Both {@link #BACKWARD_TRANSITIVE} and {@link #FORWARD_TRANSITIVE}. */
    FULL_TRANSITIVE(true, true, true);

    private final boolean backward;
    private final boolean forward;
    private final boolean transitive;

    CompatibilityLevel(boolean backward, boolean forward, boolean transitive) {
        this.backward = backward;
        this.forward = forward;
        this.transitive = transitive;
    }

    /** @return whether the new schema must be able to read data written with earlier ones */
    public boolean backward() {
        return backward;
    }

    /** @return whether earlier schemas must be able to read data written with the new one */
    public boolean forward() {
        return forward;
    }

    /** @return whether the check covers every earlier version rather than only the latest */
    public boolean transitive() {
        return transitive;
    }

    /**
     * Parses a level name, ignoring case.
     *
     * @param name a level name such as {@code "backward"} or {@code "FULL_TRANSITIVE"}; may be null
     * @return the level, or empty when the name is null or not a level
     */
    public static Optional<CompatibilityLevel> parse(String name) {
        if (name == null) {
            return Optional.empty();
        }
        try {
            return Optional.of(valueOf(name.trim().toUpperCase(Locale.ROOT)));
        } catch (IllegalArgumentException e) {
            return Optional.empty();
        }
    }
}
