package io.ccdstream.streams.scorer;

import io.ccdstream.models.classifier.Classifier;
import io.ccdstream.models.clip.ClassSet;
import io.ccdstream.schemas.Checkpoint;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * For each announced checkpoint newer than the one in use: fetches it, verifies its size and
 * SHA-256, loads it with the class set's class names, and swaps it in. A checkpoint that cannot
 * be fetched, verified or loaded is refused and the previous one stays in use.
 */
public final class CheckpointInstaller {

    private static final Logger LOG = LoggerFactory.getLogger(CheckpointInstaller.class);

    /** A refused checkpoint and why. */
    public record Refusal(Checkpoint checkpoint, String reason) {}

    private final CheckpointFetcher fetcher;
    private final CheckpointHolder holder;
    private final Map<String, ClassSet> classSets;
    private final List<Refusal> refusals = new CopyOnWriteArrayList<>();

    /** Installs checkpoints of {@code classSets} into {@code holder}. */
    public CheckpointInstaller(CheckpointFetcher fetcher, CheckpointHolder holder, List<ClassSet> classSets) {
        this.fetcher = fetcher;
        this.holder = holder;
        this.classSets = classSets.stream().collect(Collectors.toMap(ClassSet::id, Function.identity()));
    }

    /** Loads and installs {@code event} if it is of a served class set and newer than the one in use. */
    public void consider(Checkpoint event) {
        ClassSet classSet = classSets.get(event.getClassSetId());
        if (classSet == null) {
            return;
        }
        long inUse = holder.current(event.getClassSetId())
                .map(Checkpoint::getVersion)
                .orElse(0L);
        if (event.getVersion() <= inUse) {
            return;
        }
        try {
            Path file = fetcher.fetch(event);
            Classifier classifier = Classifier.load(file, event.getSha256(), classSet.classNames());
            if (holder.install(new CheckpointHolder.Loaded(event, classifier))) {
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
