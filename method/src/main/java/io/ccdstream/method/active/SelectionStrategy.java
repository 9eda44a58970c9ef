package io.ccdstream.method.active;

import java.util.Arrays;
import java.util.Locale;

/** How {@link ActiveSelection} ranks the images a person should review. */
public enum SelectionStrategy {
    /** Labels closest to the decision threshold, weighted towards rare classes. */
    UNCERTAINTY,
    /** Where the global view and the local (CAM crop) views disagree, weighted towards rare classes. */
    DISAGREEMENT,
    /** A seeded uniform order: the control every other strategy is measured against. */
    RANDOM;

    /** The strategy named {@code name} (case-insensitive). */
    public static SelectionStrategy of(String name) {
        try {
            return valueOf(name.trim().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("unknown selection strategy '" + name + "': use one of "
                    + Arrays.stream(values()).map(SelectionStrategy::id).toList());
        }
    }

    /** The lower-case name used in options and config. */
    public String id() {
        return name().toLowerCase(Locale.ROOT);
    }
}
