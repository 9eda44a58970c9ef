package io.ccdstream.topics;

import io.ccdstream.schemas.Label;
import io.ccdstream.schemas.LabelStage;

/** What a label's stage and versions say about it, the same for every reader of {@code ccd.labels}. */
public final class LabelStages {

    private LabelStages() {}

    /**
     * Whether the label is final: a person reviewed the image (VERIFIED), or the scorer is done with
     * it: its label was REFINED with local views, or a classifier checkpoint examined the image and
     * selected no crop, so the global view's INITIAL label is final (until a newer checkpoint or bias
     * recomputes it).
     */
    public static boolean isFinal(Label label) {
        return label.getStage() == LabelStage.REFINED
                || label.getStage() == LabelStage.VERIFIED
                || label.getCheckpointVersion() != null;
    }
}
