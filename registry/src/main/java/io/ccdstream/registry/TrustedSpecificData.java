package io.ccdstream.registry;

import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import org.apache.avro.Schema;
import org.apache.avro.specific.SpecificData;
import org.apache.avro.specific.SpecificFixed;
import org.apache.avro.specific.SpecificRecord;

/**
 * A {@link SpecificData} that loads the project's generated classes without the
 * {@code org.apache.avro.SERIALIZABLE_PACKAGES} system property.
 *
 * <p>Since 1.11.4 Avro refuses to load a class named by a schema unless its package is listed in
 * that property (read once, when Avro's validator class initialises), which guards against a
 * writer schema naming an arbitrary class. Here classes are loaded directly when they are in a
 * trusted package ({@code io.ccdstream.} and the packages of reader classes the caller names) and
 * are a generated record, enum or fixed type; every other name goes through Avro's own checks.
 */
final class TrustedSpecificData extends SpecificData {

    static final String PROJECT_PACKAGE = "io.ccdstream.";

    private final Set<String> trustedPrefixes = ConcurrentHashMap.newKeySet();
    private final ConcurrentMap<String, Optional<Class<?>>> classes = new ConcurrentHashMap<>();

    TrustedSpecificData(ClassLoader loader) {
        super(loader);
        addLogicalTypeConversions(this);
        trustedPrefixes.add(PROJECT_PACKAGE);
    }

    /** Trusts the package of a reader class the application chose itself. */
    void trust(Class<?> readerClass) {
        trustedPrefixes.add(readerClass.getPackageName() + ".");
    }

    @Override
    @SuppressWarnings("rawtypes")
    public Class getClass(Schema schema) {
        Schema.Type type = schema.getType();
        if (type == Schema.Type.RECORD || type == Schema.Type.ENUM || type == Schema.Type.FIXED) {
            String name = getClassName(schema);
            if (trustedPrefixes.stream().anyMatch(name::startsWith)) {
                return classes.computeIfAbsent(name, n -> load(n, type)).orElse(null);
            }
        }
        return super.getClass(schema);
    }

    private Optional<Class<?>> load(String name, Schema.Type type) {
        try {
            Class<?> loaded = Class.forName(name, false, getClassLoader());
            return isGenerated(loaded, type) ? Optional.of(loaded) : Optional.empty();
        } catch (ClassNotFoundException e) {
            return Optional.empty();
        }
    }

    private static boolean isGenerated(Class<?> loaded, Schema.Type type) {
        return switch (type) {
            case RECORD -> SpecificRecord.class.isAssignableFrom(loaded);
            case ENUM -> loaded.isEnum();
            case FIXED -> SpecificFixed.class.isAssignableFrom(loaded);
            default -> false;
        };
    }
}
