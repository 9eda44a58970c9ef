package io.ccdstream.schemas;

import org.apache.avro.util.ClassSecurityValidator;

/**
 * Lets Avro instantiate the generated classes of this package.
 *
 * <p>Avro 1.12 refuses to load classes named by a schema unless they are trusted. Call
 * {@link #install()} once before reading any record of this package; it widens the global
 * validator to this package and keeps every other rule (system properties included).
 */
public final class TrustedSchemas {

    /** Package of the generated record classes. */
    public static final String PACKAGE = TrustedSchemas.class.getPackageName();

    private static volatile boolean installed;

    private TrustedSchemas() {}

    /** Trusts the generated classes of this package; idempotent and thread-safe. */
    public static synchronized void install() {
        if (installed) {
            return;
        }
        ClassSecurityValidator.ClassSecurityPredicate previous = ClassSecurityValidator.getGlobal();
        ClassSecurityValidator.setGlobal(
                ClassSecurityValidator.composite(previous, type -> PACKAGE.equals(type.getPackageName())));
        installed = true;
    }
}
