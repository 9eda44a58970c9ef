package io.ccdstream.streams.scorer;

import io.ccdstream.models.classifier.Classifier;
import io.ccdstream.models.clip.ClassSet;
import io.ccdstream.schemas.Checkpoint;
import io.ccdstream.schemas.CheckpointStatus;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * For each checkpoint to serve: fetches it, verifies its size and SHA-256, loads it with the class
 * set's class names, and swaps it in. A checkpoint that cannot be fetched, verified or loaded is
 * refused and the previous one stays in use.
 *
 * <p>What is served follows the rollout mode: a {@code PROMOTED} record is always served, also when
 * it names an older version than the one in use (a rollback); a {@code REJECTED} one never; an
 * announcement without a status only under {@code immediate} rollout (and only when newer than the
 * one in use), never under {@code shadow}, where the shadow service decides.
 */
public final class CheckpointInstaller {

    private static final Logger LOG = LoggerFactory.getLogger(CheckpointInstaller.class);

    /** A refused checkpoint and why. */
    public record Refusal(Checkpoint checkpoint, String reason) {}

    private final CheckpointFetcher fetcher;
    private final CheckpointHolder holder;
    private final Map<String, ClassSet> classSets;
    private final List<Refusal> refusals = new CopyOnWriteArrayList<>();
    private final boolean promotedOnly;

    /** Installs checkpoints of {@code classSets} into {@code holder} as announced (rollout mode immediate). */
    public CheckpointInstaller(CheckpointFetcher fetcher, CheckpointHolder holder, List<ClassSet> classSets) {
        this(fetcher, holder, classSets, false);
    }

    /**
     * Installs checkpoints of {@code classSets} into {@code holder}; with {@code promotedOnly}
     * (rollout mode shadow) only those marked {@code PROMOTED}.
     */
    public CheckpointInstaller(
            CheckpointFetcher fetcher, CheckpointHolder holder, List<ClassSet> classSets, boolean promotedOnly) {
        this.fetcher = fetcher;
        this.holder = holder;
        this.classSets = classSets.stream().collect(Collectors.toMap(ClassSet::id, Function.identity()));
        this.promotedOnly = promotedOnly;
    }

    /** Whether a record with this status is one to serve under this installer's rollout mode. */
    public boolean serves(Checkpoint event) {
        return event.getStatus() == CheckpointStatus.PROMOTED || (event.getStatus() == null && !promotedOnly);
    }

    /**
     * Loads and installs {@code event} if it is of a served class set and to be served: promoted and
     * not the version in use, or (immediate rollout) announced and newer than the one in use.
     */
    public void consider(Checkpoint event) {
        ClassSet classSet = classSets.get(event.getClassSetId());
        if (classSet == null || !serves(event)) {
            return;
        }
        boolean promoted = event.getStatus() == CheckpointStatus.PROMOTED;
        long inUse = holder.current(event.getClassSetId())
                .map(Checkpoint::getVersion)
                .orElse(0L);
        if (promoted ? event.getVersion() == inUse : event.getVersion() <= inUse) {
            return;
        }
        try {
            Path file = fetcher.fetch(event);
            Classifier classifier = Classifier.load(file, event.getSha256(), classSet.classNames());
            CheckpointHolder.Loaded loaded = new CheckpointHolder.Loaded(event, classifier);
            if (promoted ? holder.replace(loaded) : holder.install(loaded)) {
                LOG.info(
                        "Scoring class set {} with classifier checkpoint v{} ({}, train-label mAP {})",
                        event.getClassSetId(),
                        event.getVersion(),
                        event.getPhase(),
                        event.getMetrics().getTrainLabelMap());
            }
        } catch (Exception e) {
            LOG.warn(
                    "Refusing checkpoint v{} of class set {} from {}: {}",
                    event.getVersion(),
                    event.getClassSetId(),
                    event.getLocation(),
                    e.getMessage());
            refusals.add(new Refusal(event, String.valueOf(e.getMessage())));
        }
    }

    /** Checkpoints refused so far. */
    public List<Refusal> refusals() {
        return List.copyOf(refusals);
    }
}
