package io.ccdstream.trainer;

import static org.assertj.core.api.Assertions.assertThat;

import io.ccdstream.schemas.Checkpoint;
import io.ccdstream.schemas.CheckpointPhase;
import io.ccdstream.schemas.ClassSetKey;
import io.ccdstream.topics.CcdTopics;
import io.ccdstream.topics.Checksums;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.MockConsumer;
import org.apache.kafka.clients.producer.MockProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.Node;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Start-up reconciliation of the checkpoint store with the checkpoints topic, without a broker:
 * the topic is a {@link MockConsumer}, the transactional publisher a {@link MockProducer}.
 * (Fencing and the whole trainer's start are in {@link CheckpointReconciliationIT}.)
 */
class CheckpointReconciliationTest {

    private static final TopicPartition PARTITION = new TopicPartition(CcdTopics.CHECKPOINTS.name(), 0);

    @TempDir
    Path dataDir;

    /** Records are kept as objects in the history; the bytes do not matter here. */
    private final MockProducer<ClassSetKey, Checkpoint> producer =
            new MockProducer<>(true, null, (topic, key) -> new byte[0], (topic, value) -> new byte[0]);

    @Test
    void shouldPublishAStoredButUnannouncedCheckpointAsItIsOnStart() throws Exception {
        // Given v1 stored and announced, and v2 stored before a crash that came before its announcement
        CheckpointStore store = CheckpointStore.open(dataDir.resolve("cs"), "cs");
        StoredCheckpoint v1 = add(store, "cs", 1, CheckpointPhase.WARMUP, "weights one");
        StoredCheckpoint v2 = add(store, "cs", 2, CheckpointPhase.REFINE, "weights two");

        // When the trainer reconciles at start
        TrainerLoop.Reconciled reconciled = reconcile(store, "cs", topicWith(v1.event("http://t/cs/1")));

        // Then v2 is announced as stored, in a committed transaction, and the next version is 3
        assertThat(producer.history())
                .extracting(ProducerRecord::value)
                .singleElement()
                .satisfies(event -> {
                    assertThat(event.getVersion()).isEqualTo(2);
                    assertThat(event.getSha256()).isEqualTo(v2.sha256()).isEqualTo(Checksums.sha256(store.file(2)));
                    assertThat(event.getLocation()).isEqualTo("http://t/cs/2");
                });
        assertThat(producer.transactionCommitted()).isTrue();
        assertThat(reconciled.nextVersion()).isEqualTo(3);
        assertThat(reconciled.latest()).contains(new TrainingSchedule.Latest(2, CheckpointPhase.REFINE));
    }

    @Test
    void shouldReannounceTheLatestCheckpointWhenItIsServedAtANewLocation() throws Exception {
        CheckpointStore store = CheckpointStore.open(dataDir.resolve("moved"), "moved");
        StoredCheckpoint v1 = add(store, "moved", 1, CheckpointPhase.WARMUP, "weights one");

        reconcile(store, "moved", topicWith(v1.event("http://old-host/moved/1")));

        assertThat(producer.history())
                .extracting(ProducerRecord::value)
                .singleElement()
                .satisfies(event -> {
                    assertThat(event.getVersion()).isEqualTo(1);
                    assertThat(event.getSha256()).isEqualTo(v1.sha256());
                    assertThat(event.getLocation()).isEqualTo("http://t/moved/1");
                });
    }

    @Test
    void shouldPublishNothingWhenStoreAndTopicAgree() throws Exception {
        CheckpointStore store = CheckpointStore.open(dataDir.resolve("agree"), "agree");
        StoredCheckpoint v1 = add(store, "agree", 1, CheckpointPhase.WARMUP, "weights one");

        TrainerLoop.Reconciled reconciled = reconcile(store, "agree", topicWith(v1.event("http://t/agree/1")));

        assertThat(producer.history()).isEmpty();
        assertThat(reconciled.nextVersion()).isEqualTo(2);
    }

    @Test
    void shouldNumberTheNextVersionAboveEveryPublishedAndHalfWrittenVersion() throws Exception {
        // Given v1 stored, a v6 file renamed into place just before a crash (no sidecar), and v5
        // published by a trainer whose store this host does not have
        CheckpointStore store = CheckpointStore.open(dataDir.resolve("numbering"), "numbering");
        add(store, "numbering", 1, CheckpointPhase.WARMUP, "weights one");
        Files.writeString(store.file(6), "a file renamed into place just before a crash, without its sidecar");
        Checkpoint v5 = add(
                        CheckpointStore.open(dataDir.resolve("elsewhere"), "numbering"),
                        "numbering",
                        5,
                        CheckpointPhase.REFINE,
                        "w5")
                .event("http://other-host/numbering/5");

        TrainerLoop.Reconciled reconciled =
                reconcile(CheckpointStore.open(dataDir.resolve("numbering"), "numbering"), "numbering", topicWith(v5));

        assertThat(reconciled.nextVersion()).isEqualTo(7);
        assertThat(reconciled.latest()).contains(new TrainingSchedule.Latest(5, CheckpointPhase.REFINE));
        assertThat(producer.history()).isEmpty();
    }

    @Test
    void shouldIgnoreOtherClassSetsAndKeepTheHighestVersionOfItsOwn() throws Exception {
        CheckpointStore store = CheckpointStore.open(dataDir.resolve("mine"), "mine");
        StoredCheckpoint v1 = add(store, "mine", 1, CheckpointPhase.WARMUP, "one");
        StoredCheckpoint v2 = add(store, "mine", 2, CheckpointPhase.REFINE, "two");
        Checkpoint other = add(
                        CheckpointStore.open(dataDir.resolve("other"), "other"),
                        "other",
                        9,
                        CheckpointPhase.REFINE,
                        "nine")
                .event("http://t/other/9");

        TrainerLoop.Reconciled reconciled =
                reconcile(store, "mine", topicWith(v2.event("http://t/mine/2"), other, v1.event("http://t/mine/1")));

        assertThat(producer.history()).isEmpty();
        assertThat(reconciled.nextVersion()).isEqualTo(3);
        assertThat(reconciled.latest()).contains(new TrainingSchedule.Latest(2, CheckpointPhase.REFINE));
    }

    private TrainerLoop.Reconciled reconcile(
            CheckpointStore store, String classSetId, Supplier<Consumer<ClassSetKey, Checkpoint>> topic)
            throws IOException {
        try (CheckpointPublisher publisher =
                new CheckpointPublisher(producer, topic, "ccd-trainer-" + classSetId, Duration.ofSeconds(5))) {
            return TrainerLoop.reconcile(
                    store,
                    publisher,
                    classSetId,
                    s -> "http://t/" + s.classSetId() + "/" + s.version(),
                    new TrainerProgress(() -> 0, () -> 0, () -> 0L));
        }
    }

    /** A checkpoints topic of one partition that holds {@code events}, in order. */
    private static Supplier<Consumer<ClassSetKey, Checkpoint>> topicWith(Checkpoint... events) {
        return () -> {
            MockConsumer<ClassSetKey, Checkpoint> consumer = new MockConsumer<>("earliest");
            consumer.updatePartitions(
                    PARTITION.topic(),
                    List.of(new PartitionInfo(PARTITION.topic(), 0, null, new Node[0], new Node[0])));
            consumer.updateBeginningOffsets(Map.of(PARTITION, 0L));
            consumer.updateEndOffsets(Map.of(PARTITION, (long) events.length));
            consumer.schedulePollTask(() -> {
                for (int i = 0; i < events.length; i++) {
                    consumer.addRecord(new ConsumerRecord<>(
                            PARTITION.topic(), 0, i, new ClassSetKey(events[i].getClassSetId()), events[i]));
                }
            });
            return consumer;
        };
    }

    /** Stores {@code content} as checkpoint {@code version} of {@code classSetId}. */
    static StoredCheckpoint add(
            CheckpointStore store, String classSetId, long version, CheckpointPhase phase, String content)
            throws IOException {
        Path candidate = Files.writeString(store.candidateFile(), content);
        return store.add(
                candidate,
                new StoredCheckpoint(
                        classSetId,
                        version,
                        phase,
                        "small-cnn",
                        Checksums.sha256(candidate),
                        Files.size(candidate),
                        1_700_000_000_000L,
                        50.0,
                        0.3,
                        100,
                        2,
                        null,
                        0,
                        0));
    }
}
