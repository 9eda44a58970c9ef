package io.ccdstream.streams.integration;

import io.ccdstream.testsupport.TestCluster;
import io.ccdstream.topics.CcdTopics;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The committed (read_committed) scores per image id, read once {@code expected} ids are in and a
 * second longer (so that a duplicate written late would be seen); and the longest wait between two
 * newly committed ids while reading.
 */
record CommittedScores(Map<String, Integer> counts, long longestGapMs) {

    static CommittedScores read(TestCluster cluster, int expected, Duration timeout) {
        Map<String, Integer> counts = new HashMap<>();
        long[] last = {0};
        long[] gap = {0};
        cluster.read(
                CcdTopics.SCORES.name(),
                CcdTopics.SCORES.keySerde(cluster.serdes()).deserializer(),
                CcdTopics.SCORES.valueSerde(cluster.serdes()).deserializer(),
                r -> {
                    if (counts.merge(r.key().getImageId(), 1, Integer::sum) == 1) {
                        long now = System.nanoTime() / 1_000_000;
                        if (last[0] > 0) {
                            gap[0] = Math.max(gap[0], now - last[0]);
                        }
                        last[0] = now;
                    }
                },
                () -> counts.size() >= expected,
                timeout);
        cluster.read(
                CcdTopics.SCORES.name(),
                CcdTopics.SCORES.keySerde(cluster.serdes()).deserializer(),
                CcdTopics.SCORES.valueSerde(cluster.serdes()).deserializer(),
                r -> {},
                () -> false,
                Duration.ofSeconds(1));
        return new CommittedScores(counts, gap[0]);
    }

    /** The ids not seen exactly once, with their count. */
    List<String> notExactlyOnce() {
        return notExactlyOnce(counts);
    }

    static List<String> notExactlyOnce(Map<String, Integer> counts) {
        List<String> wrong = new ArrayList<>();
        counts.forEach((id, n) -> {
            if (n != 1) {
                wrong.add(id + " x" + n);
            }
        });
        return wrong;
    }
}
