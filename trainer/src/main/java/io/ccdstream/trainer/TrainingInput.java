package io.ccdstream.trainer;

import io.ccdstream.method.image.ImageDecoder;
import io.ccdstream.method.image.ImageInputException;
import io.ccdstream.schemas.Image;
import io.ccdstream.schemas.ImageKey;
import io.ccdstream.schemas.Label;
import io.ccdstream.topics.CcdTopics;
import io.ccdstream.topics.DeadLetters;
import io.ccdstream.topics.ImageBytes;
import io.ccdstream.topics.PoisonRecordException;
import io.ccdstream.topics.SerdeFactory;
import io.ccdstream.trainer.avro.TrainingImage;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import org.apache.kafka.clients.consumer.CloseOptions;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.Deserializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The trainer's input: the labels topic (latest label per image) and the images topic (pixels), read
 * from the offsets last committed under the trainer's group, into the {@link TrainingSet}.
 *
 * <p>Images are read with the {@link TrainingImage} reader schema, which has no ground-truth field:
 * ground truth a producer attached is skipped by the Avro decoder and never reaches the trainer.
 *
 * <p>The trainer needs every label of its class set, so it takes all partitions itself (no group
 * rebalancing; one trainer per class set, which its transactional id enforces) and uses the group only
 * to keep its offsets. Offsets are committed after the training set is flushed: a restart reads again
 * what was not made durable. A record that cannot be used (undecodable, unreadable image, other class
 * names) is counted, logged and sent to the dead-letter topic with the reason, its coordinates and
 * processor {@value #PROCESSOR} (an image the scorer also refused is dead-lettered by both).
 */
final class TrainingInput implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(TrainingInput.class);

    private final KafkaConsumer<byte[], byte[]> consumer;
    private final Deserializer<ImageKey> keys;
    private final Deserializer<Label> labels;
    private final Deserializer<TrainingImage> images;
    private final TrainingSet trainingSet;
    private final String classSetId;
    private final List<String> classNames;
    private final ImageBytes claimChecks;
    private final ImageDecoder decoder = ImageDecoder.builder().build();
    /** The processor header of the trainer's dead letters. */
    static final String PROCESSOR = "trainer";

    private final AtomicLong skipped = new AtomicLong();
    private final KafkaProducer<byte[], byte[]> deadLetters;
    private final String deadLetterTopic;
    private final Consumer<String> deadLettered;

    TrainingInput(TrainerConfig config, SerdeFactory serdes, TrainingSet trainingSet) {
        this(config, serdes, trainingSet, reason -> {});
    }

    /** Reads for {@code trainingSet}, telling {@code deadLettered} the reason of each dead letter. */
    TrainingInput(TrainerConfig config, SerdeFactory serdes, TrainingSet trainingSet, Consumer<String> deadLettered) {
        this.deadLettered = deadLettered;
        this.keys = CcdTopics.LABELS.keySerde(serdes).deserializer();
        this.labels = CcdTopics.LABELS.valueSerde(serdes).deserializer();
        this.images = serdes.serde(TrainingImage.class, false).deserializer();
        this.trainingSet = trainingSet;
        this.classSetId = config.classSetId();
        this.classNames = config.classNames();
        this.claimChecks = config.claimChecks();
        Map<String, Object> props = new HashMap<>(config.clientSettings());
        props.put(ConsumerConfig.GROUP_ID_CONFIG, config.groupId());
        props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        props.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        props.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        props.put(ConsumerConfig.MAX_PARTITION_FETCH_BYTES_CONFIG, 4 * 1024 * 1024);
        this.consumer = new KafkaConsumer<>(props, new ByteArrayDeserializer(), new ByteArrayDeserializer());
        Map<String, Object> producerProps = new HashMap<>(config.clientSettings());
        producerProps.put(ProducerConfig.ACKS_CONFIG, "all");
        producerProps.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
        producerProps.put(ProducerConfig.MAX_REQUEST_SIZE_CONFIG, 8 * 1024 * 1024);
        this.deadLetters = new KafkaProducer<>(producerProps, new ByteArraySerializer(), new ByteArraySerializer());
        this.deadLetterTopic = config.deadLetterTopic();
        List<TopicPartition> partitions = new ArrayList<>();
        for (String topic : List.of(CcdTopics.LABELS.name(), CcdTopics.IMAGES.name())) {
            consumer.partitionsFor(topic, config.startupTimeout())
                    .forEach(p -> partitions.add(new TopicPartition(p.topic(), p.partition())));
        }
        consumer.assign(partitions);
    }

    /** Reads what arrived within {@code timeout} into the training set; returns the records read. */
    int poll(Duration timeout) throws IOException {
        int count = 0;
        for (ConsumerRecord<byte[], byte[]> record : consumer.poll(timeout)) {
            apply(record);
            count++;
        }
        return count;
    }

    /**
     * Makes the training set durable and the dead letters acknowledged, then commits the offsets of
     * what it holds: a crash before the commit replays the records, so nothing is lost (a dead
     * letter may then be written twice).
     */
    void commit() throws IOException {
        trainingSet.flush();
        deadLetters.flush();
        consumer.commitSync();
    }

    /** Records skipped so far. */
    long skipped() {
        return skipped.get();
    }

    private void apply(ConsumerRecord<byte[], byte[]> record) throws IOException {
        ImageKey key;
        try {
            key = keys.deserialize(record.topic(), record.key());
        } catch (SerializationException e) {
            deadLetter(record, "DESERIALIZATION", e);
            return;
        }
        if (key == null || !classSetId.equals(key.getClassSetId())) {
            return;
        }
        if (record.topic().equals(CcdTopics.LABELS.name())) {
            applyLabel(record, key);
        } else {
            applyImage(record, key);
        }
    }

    private void applyLabel(ConsumerRecord<byte[], byte[]> record, ImageKey key) throws IOException {
        if (record.value() == null) {
            trainingSet.remove(key.getImageId());
            return;
        }
        Label label;
        try {
            label = labels.deserialize(record.topic(), record.value());
        } catch (SerializationException e) {
            deadLetter(record, "DESERIALIZATION", e);
            return;
        }
        if (!label.getClassNames().equals(classNames)
                || label.getScores().size() != classNames.size()
                || label.getGlobal().size() != classNames.size()) {
            deadLetter(
                    record,
                    "CLASS_NAMES_MISMATCH",
                    new IllegalArgumentException("label of image "
                            + key.getImageId() + " has classes " + label.getClassNames() + " and "
                            + label.getScores().size()
                            + " scores; the trainer of class set " + classSetId + " trains " + classNames));
            return;
        }
        if (label.getNone()) {
            // the labeler found no class of the set in the image: nothing to train on
            trainingSet.dropLabel(key.getImageId());
            return;
        }
        trainingSet.putLabel(key.getImageId(), StoredLabel.of(label));
    }

    private void applyImage(ConsumerRecord<byte[], byte[]> record, ImageKey key) throws IOException {
        if (record.value() == null) {
            return;
        }
        try {
            byte[] encoded = claimChecks.of(claim(images.deserialize(record.topic(), record.value())));
            decoder.decode(encoded);
            trainingSet.putImage(key.getImageId(), encoded);
        } catch (SerializationException e) {
            deadLetter(record, "DESERIALIZATION", e);
        } catch (PoisonRecordException e) {
            deadLetter(record, e.reason(), e);
        } catch (ImageInputException e) {
            deadLetter(record, "IMAGE_" + e.reason().name(), e);
        }
    }

    /** The claim-check fields of the projection, in the record type {@link ImageBytes} reads. */
    private static Image claim(TrainingImage image) {
        return Image.newBuilder()
                .setImageId(image.getImageId())
                .setClassSetId(image.getClassSetId())
                .setUri(image.getUri())
                .setData(image.getData())
                .setContentType(image.getContentType())
                .setByteSize(image.getByteSize())
                .build();
    }

    /** Skips {@code record}, counting it and sending it to the dead-letter topic with why and where from. */
    private void deadLetter(ConsumerRecord<byte[], byte[]> record, String reason, Exception cause) {
        skipped.incrementAndGet();
        deadLettered.accept(reason);
        LOG.warn(
                "Dead-lettering {}-{}@{} ({}): {}",
                record.topic(),
                record.partition(),
                record.offset(),
                reason,
                cause.getMessage());
        deadLetters.send(new ProducerRecord<>(
                deadLetterTopic,
                null,
                record.key(),
                record.value(),
                DeadLetters.headers(
                        record.headers(),
                        reason,
                        cause,
                        record.topic(),
                        record.partition(),
                        record.offset(),
                        PROCESSOR)));
    }

    /** Interrupts a poll in progress (from another thread). */
    void wakeup() {
        consumer.wakeup();
    }

    @Override
    public void close() {
        deadLetters.close(Duration.ofSeconds(5));
        consumer.close(CloseOptions.timeout(Duration.ofSeconds(5)));
    }
}
