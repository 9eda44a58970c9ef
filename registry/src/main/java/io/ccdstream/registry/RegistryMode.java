package io.ccdstream.registry;

import java.util.Locale;
import java.util.Optional;

/** What a registry or subject accepts, as Confluent's {@code /mode} sets it. */
public enum RegistryMode {
    /** Registrations and deletes allowed; ids assigned by the registry. */
    READWRITE,
    /** Registrations and deletes refused (42205). */
    READONLY,
    /** Registrations may carry their id (and version), kept as given, without compatibility checks. */
    IMPORT;

    /**
     * @param name a mode name, in any case
     * @return the mode, or empty for an unknown name
     */
    public static Optional<RegistryMode> parse(String name) {
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
