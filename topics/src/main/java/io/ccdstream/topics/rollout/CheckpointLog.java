package io.ccdstream.topics.rollout;

import io.ccdstream.schemas.Checkpoint;
import io.ccdstream.schemas.CheckpointStatus;
import io.ccdstream.schemas.ClassSetKey;
import io.ccdstream.topics.CcdTopics;
import io.ccdstream.topics.SerdeFactory;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;

/**
 * The rollout history of the checkpoints topic, and a person's overrides: list every version with
 * its latest state, promote a version, roll back to an earlier one. Each override is a record of the
 * checkpoint with its new status on the topic; the last record written is the one to serve, so that
 * the compacted topic's latest record per class set stays the checkpoint in use.
 */
public final class CheckpointLog {

    /** One version's latest state: its record, and whether it is the one in use. */
    public record Entry(Checkpoint checkpoint, boolean serving) {
        /** PROMOTED, REJECTED or CANDIDATE (announced, no decision). */
        public String state() {
            return checkpoint.getStatus() == null
                    ? "CANDIDATE"
                    : checkpoint.getStatus().name();
        }
    }

    private final String bootstrapServers;
    private final SerdeFactory serdes;
    private final Map<String, ?> overrides;
    private final Clock clock;

    /** A log on this cluster; {@code overrides} are further client settings (security...). */
    public CheckpointLog(String bootstrapServers, SerdeFactory serdes, Map<String, ?> overrides, Clock clock) {
        this.bootstrapServers = bootstrapServers;
        this.serdes = serdes;
        this.overrides = overrides;
        this.clock = clock;
    }

    /** Every record of the topic, in order (read_committed, to its end). */
    public List<Checkpoint> read(Duration timeout) {
        List<Checkpoint> records = new ArrayList<>();
        TopicScan.toEnd(bootstrapServers, serdes, overrides, CcdTopics.CHECKPOINTS, timeout, records::add);
        return records;
    }

    /** The class sets with records, in order of appearance. */
    public static List<String> classSets(List<Checkpoint> records) {
        return records.stream().map(Checkpoint::getClassSetId).distinct().toList();
    }

    /** Each version of {@code classSetId} with its latest record, oldest version first. */
    public static List<Entry> history(List<Checkpoint> records, String classSetId) {
        TreeMap<Long, Checkpoint> latest = new TreeMap<>();
        Checkpoint serving = null;
        for (Checkpoint record : records) {
            if (!record.getClassSetId().equals(classSetId)) {
                continue;
            }
            Checkpoint before = latest.get(record.getVersion());
            // an announcement repeated (a moved location) does not erase a decision
            if (before == null || record.getStatus() != null || before.getStatus() == null) {
                latest.put(record.getVersion(), record);
            }
            if (record.getStatus() == CheckpointStatus.PROMOTED) {
                serving = record;
            }
        }
        long servingVersion = serving == null ? -1 : serving.getVersion();
        return latest.values().stream()
                .map(c -> new Entry(c, c.getVersion() == servingVersion))
                .toList();
    }

    /** The promoted versions of {@code classSetId} in the order they were promoted, without repeats in a row. */
    public static List<Long> promotions(List<Checkpoint> records, String classSetId) {
        List<Long> promoted = new ArrayList<>();
        for (Checkpoint record : records) {
            if (record.getClassSetId().equals(classSetId)
                    && record.getStatus() == CheckpointStatus.PROMOTED
                    && (promoted.isEmpty() || promoted.get(promoted.size() - 1) != record.getVersion())) {
                promoted.add(record.getVersion());
            }
        }
        return promoted;
    }

    /** Marks {@code version} of {@code classSetId} PROMOTED (a person's override); returns the record written. */
    public Checkpoint promote(String classSetId, long version, String reason, Duration timeout) {
        List<Checkpoint> records = read(timeout);
        Checkpoint target = find(records, classSetId, version);
        Checkpoint promoted = withStatus(target, CheckpointStatus.PROMOTED, reason);
        send(List.of(promoted), timeout);
        return promoted;
    }

    /**
     * Rolls {@code classSetId} back to {@code version}, or to the version promoted before the one in use:
     * the one in use is marked REJECTED, then the target PROMOTED. Returns the target's record.
     */
    public Checkpoint rollback(String classSetId, Optional<Long> version, Duration timeout) {
        List<Checkpoint> records = read(timeout);
        List<Long> promoted = promotions(records, classSetId);
        if (promoted.isEmpty()) {
            throw new IllegalArgumentException("class set " + classSetId + " has no promoted checkpoint to roll back");
        }
        long inUse = promoted.get(promoted.size() - 1);
        long target = version.orElseGet(() -> promoted.stream()
                .filter(v -> v != inUse)
                .reduce((a, b) -> b)
                .orElseThrow(() -> new IllegalArgumentException(
                        "class set " + classSetId + " has no earlier promoted checkpoint than v" + inUse)));
        if (target == inUse) {
            throw new IllegalArgumentException("v" + inUse + " is already in use");
        }
        Checkpoint from = find(records, classSetId, inUse);
        Checkpoint to = find(records, classSetId, target);
        List<Checkpoint> writes = new ArrayList<>();
        writes.add(withStatus(from, CheckpointStatus.REJECTED, "rolled back to v" + target));
        Checkpoint restored = withStatus(to, CheckpointStatus.PROMOTED, "rollback from v" + inUse);
        writes.add(restored);
        send(writes, timeout);
        return restored;
    }

    private static Checkpoint find(List<Checkpoint> records, String classSetId, long version) {
        Map<Long, Checkpoint> byVersion = new LinkedHashMap<>();
        for (Checkpoint record : records) {
            if (record.getClassSetId().equals(classSetId)) {
                byVersion.put(record.getVersion(), record);
            }
        }
        Checkpoint found = byVersion.get(version);
        if (found == null) {
            throw new IllegalArgumentException("class set " + classSetId + " has no checkpoint v" + version + " on "
                    + CcdTopics.CHECKPOINTS.name() + " (known: " + byVersion.keySet() + ")");
        }
        return found;
    }

    private Checkpoint withStatus(Checkpoint checkpoint, CheckpointStatus status, String reason) {
        return Checkpoint.newBuilder(checkpoint)
                .setStatus(status)
                .setStatusReason(reason)
                .setDecidedAt(clock.instant())
                .build();
    }

    private void send(List<Checkpoint> records, Duration timeout) {
        Map<String, Object> props = new HashMap<>();
        props.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        props.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
        props.put(ProducerConfig.ACKS_CONFIG, "all");
        props.putAll(overrides);
        try (KafkaProducer<ClassSetKey, Checkpoint> producer = new KafkaProducer<>(
                props,
                CcdTopics.CHECKPOINTS.keySerde(serdes).serializer(),
                CcdTopics.CHECKPOINTS.valueSerde(serdes).serializer())) {
            for (Checkpoint record : records) {
                producer.send(new ProducerRecord<>(
                                CcdTopics.CHECKPOINTS.name(), new ClassSetKey(record.getClassSetId()), record))
                        .get(timeout.toMillis(), TimeUnit.MILLISECONDS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while writing to " + CcdTopics.CHECKPOINTS.name(), e);
        } catch (ExecutionException | TimeoutException e) {
            throw new IllegalStateException(
                    "could not write to " + CcdTopics.CHECKPOINTS.name() + ": " + e.getMessage(), e);
        }
    }
}
