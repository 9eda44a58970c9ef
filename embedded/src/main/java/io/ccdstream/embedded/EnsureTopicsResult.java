package io.ccdstream.embedded;

import java.util.List;
import java.util.Objects;

/**
 * What {@link TopicAdmin#ensureTopics} did, topic by topic.
 *
 * @param created      topics that did not exist and were created with their specs
 * @param reconfigured existing topics whose configs differed from their specs and were updated
 * @param unchanged    existing topics whose configs already matched their specs
 */
public record EnsureTopicsResult(List<String> created, List<String> reconfigured, List<String> unchanged) {

    /**
     * Copies the lists.
     *
     * @param created      topics that were created
     * @param reconfigured topics whose configs were updated
     * @param unchanged    topics that already matched
     */
    public EnsureTopicsResult {
        created = List.copyOf(Objects.requireNonNull(created, "created"));
        reconfigured = List.copyOf(Objects.requireNonNull(reconfigured, "reconfigured"));
        unchanged = List.copyOf(Objects.requireNonNull(unchanged, "unchanged"));
    }
}
