package io.ccdstream.topics.rollout;

import io.ccdstream.schemas.Image;
import io.ccdstream.schemas.Label;
import io.ccdstream.topics.CcdTopics;
import io.ccdstream.topics.ImageProducer;
import io.ccdstream.topics.SerdeFactory;
import io.ccdstream.topics.export.LabelReader;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Sends again to {@code ccd.images} the images whose latest label was made with a checkpoint above a
 * version (e.g. one that was rolled back), so that the scorer scores them with the checkpoint in use
 * and the labeler replaces their labels. Only images still on {@code ccd.images} can be sent: the rest
 * are reported as beyond retention and keep their labels.
 */
public final class Relabel {

    /**
     * What a relabelling did.
     *
     * @param matching images whose latest label was made with a checkpoint above the version
     * @param resent   of those, images found on the images topic and sent again
     * @param missing  ids not found on the images topic (beyond its retention)
     */
    public record Result(int matching, int resent, List<String> missing) {}

    private final String bootstrapServers;
    private final SerdeFactory serdes;
    private final Map<String, ?> overrides;

    /** A relabelling on this cluster; {@code overrides} are further client settings. */
    public Relabel(String bootstrapServers, SerdeFactory serdes, Map<String, ?> overrides) {
        this.bootstrapServers = bootstrapServers;
        this.serdes = serdes;
        this.overrides = overrides;
    }

    /** Sends again every image of {@code classSetId} whose latest label's checkpoint version is above {@code version}. */
    public Result above(String classSetId, long version, Duration timeout) {
        Set<String> wanted;
        try (LabelReader reader = new LabelReader(bootstrapServers, serdes, overrides, classSetId)) {
            reader.catchUp(timeout);
            wanted = reader.labels().values().stream()
                    .filter(l -> l.getCheckpointVersion() != null && l.getCheckpointVersion() > version)
                    .map(Label::getImageId)
                    .collect(Collectors.toSet());
        }
        Map<String, Image> found = images(classSetId, wanted, timeout);
        List<String> missing =
                wanted.stream().filter(id -> !found.containsKey(id)).sorted().toList();
        if (!found.isEmpty()) {
            try (ImageProducer producer = new ImageProducer(bootstrapServers, serdes, overrides)) {
                List<ImageProducer.Sent> sent = producer.sendConfirmed(new ArrayList<>(found.values()));
                sent.stream().filter(s -> !s.acknowledged()).findFirst().ifPresent(s -> {
                    throw new IllegalStateException("could not send an image again: " + s.failure());
                });
            }
        }
        return new Result(wanted.size(), found.size(), missing);
    }

    /** The latest record of each wanted image still on the images topic (read_committed, to its end). */
    private Map<String, Image> images(String classSetId, Set<String> wanted, Duration timeout) {
        Map<String, Image> found = new LinkedHashMap<>();
        if (wanted.isEmpty()) {
            return found;
        }
        TopicScan.toEnd(bootstrapServers, serdes, overrides, CcdTopics.IMAGES, timeout, image -> {
            if (classSetId.equals(image.getClassSetId()) && wanted.contains(image.getImageId())) {
                found.put(image.getImageId(), image);
            }
        });
        return found;
    }
}
