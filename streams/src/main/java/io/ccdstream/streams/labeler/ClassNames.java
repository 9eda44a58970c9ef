package io.ccdstream.streams.labeler;

import java.util.List;
import java.util.Optional;

/** Looks up the class names of a class set by its id. */
@FunctionalInterface
public interface ClassNames {

    /** The class names of {@code classSetId}, in score order, or empty if the class set is unknown. */
    Optional<List<String>> of(String classSetId);
}
