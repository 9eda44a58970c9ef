package io.ccdstream.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.ccdstream.data.files.ImageFileRecords;
import io.ccdstream.data.files.ImageFileScanner;
import io.ccdstream.data.files.ImageIdScheme;
import io.ccdstream.data.files.IngestLedger;
import io.ccdstream.data.synth.SynthClass;
import io.ccdstream.schemas.Image;
import io.ccdstream.schemas.ImageKey;
import io.ccdstream.streams.pipeline.PipelineConfig;
import io.ccdstream.testsupport.TestCluster;
import io.ccdstream.topics.CcdTopics;
import io.ccdstream.topics.ImageProducer;
import io.ccdstream.topics.ingest.FileIngest;
import io.ccdstream.topics.ingest.ImageIngest;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import javax.imageio.ImageIO;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code ccd ingest files|urls} against the test cluster: confirmed, idempotent, resumable. */
class IngestCommandIT {

    @TempDir
    static Path shared;

    private static TestCluster cluster;
    private static String classSetId;

    @BeforeAll
    static void startCluster() throws Exception {
        cluster = TestCluster.start(shared.resolve("kafka"), 2);
        PipelineConfig pipeline = new PipelineConfig(Map.of());
        classSetId = pipeline.classSet(pipeline.modelDir(shared.resolve("work")), SynthClass.names())
                .id();
    }

    @AfterAll
    static void stopCluster() {
        cluster.close();
    }

    private static String[] ingest(String command, Path ledger, String... more) {
        List<String> args = new ArrayList<>(List.of(
                "ingest",
                command,
                "--bootstrap-servers",
                cluster.bootstrapServers(),
                "--schema-registry-url",
                cluster.registryUrl(),
                "--work-dir",
                shared.resolve("work").toString(),
                "--ledger-dir",
                ledger.toString()));
        args.addAll(List.of(more));
        return args.toArray(String[]::new);
    }

    static byte[] png(int seed) throws IOException {
        BufferedImage image = new BufferedImage(4, 4, BufferedImage.TYPE_INT_RGB);
        image.setRGB(0, 0, seed);
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        ImageIO.write(image, "png", bytes);
        return bytes.toByteArray();
    }

    private static void writeFiles(Path dir, int count) throws IOException {
        Files.createDirectories(dir);
        for (int i = 0; i < count; i++) {
            Path sub = dir.resolve("d" + (i % 10));
            Files.createDirectories(sub);
            Files.write(sub.resolve(String.format("img-%04d.png", i)), png(i));
        }
    }

    /** Every record of ccd.images whose image id starts with {@code prefix}, read to the end of the topic. */
    static List<ConsumerRecord<ImageKey, Image>> images(String prefix) {
        Map<String, Object> props = new HashMap<>();
        props.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, cluster.bootstrapServers());
        props.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        props.put(ConsumerConfig.MAX_PARTITION_FETCH_BYTES_CONFIG, 4 * 1024 * 1024);
        List<ConsumerRecord<ImageKey, Image>> found = new ArrayList<>();
        try (KafkaConsumer<ImageKey, Image> consumer = new KafkaConsumer<>(
                props,
                CcdTopics.IMAGES.keySerde(cluster.serdes()).deserializer(),
                CcdTopics.IMAGES.valueSerde(cluster.serdes()).deserializer())) {
            List<TopicPartition> partitions = new ArrayList<>();
            for (PartitionInfo info : consumer.partitionsFor(CcdTopics.IMAGES.name())) {
                partitions.add(new TopicPartition(info.topic(), info.partition()));
            }
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            Map<TopicPartition, Long> end = consumer.endOffsets(partitions);
            long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
            while (partitions.stream().anyMatch(p -> consumer.position(p) < end.get(p))
                    && System.nanoTime() < deadline) {
                consumer.poll(Duration.ofMillis(200)).forEach(r -> {
                    if (r.key().getImageId().startsWith(prefix)) {
                        found.add(r);
                    }
                });
            }
        }
        return found;
    }

    private static List<String> ids(List<ConsumerRecord<ImageKey, Image>> records) {
        return records.stream().map(r -> r.key().getImageId()).toList();
    }

    @Test
    void shouldSendAThousandFilesOnceAndNothingTheSecondTime() throws IOException {
        Path root = shared.resolve("thousand");
        writeFiles(root.resolve("k"), 1000);
        Path ledger = shared.resolve("ledger-thousand");

        CommandRun first = CommandRun.of(ingest("files", ledger, root.toString()));
        CommandRun second = CommandRun.of(ingest("files", ledger, root.toString()));

        assertThat(first.exit()).as(first.output()).isZero();
        assertThat(first.output()).contains("Sent 1000 of 1000 images, 0 already sent before, 0 failed");
        assertThat(second.exit()).as(second.output()).isZero();
        assertThat(second.output()).contains("Sent 0 of 1000 images, 1000 already sent before, 0 failed");
        List<ConsumerRecord<ImageKey, Image>> sent = images("k/");
        assertThat(sent).hasSize(1000);
        assertThat(ids(sent)).doesNotHaveDuplicates().contains("k/d3/img-0003.png");
        assertThat(sent).allSatisfy(r -> {
            assertThat(r.key().getClassSetId()).isEqualTo(classSetId);
            assertThat(r.value().getData()).isNotNull();
            assertThat(r.value().getContentType()).isEqualTo("image/png");
        });
    }

    @Test
    void shouldResumeAnInterruptedIngestWithoutDuplicates() throws IOException {
        Path root = shared.resolve("interrupted");
        writeFiles(root.resolve("r"), 300);
        Path ledgerDir = shared.resolve("ledger-interrupted");
        // the first run dies after its second confirmed batch of 64, as a killed process would
        AtomicInteger batches = new AtomicInteger();
        try (ImageProducer producer = new ImageProducer(cluster.bootstrapServers(), cluster.serdes());
                IngestLedger ledger = IngestLedger.open(ledgerDir, classSetId)) {
            ImageIngest.Sender dying = images -> {
                if (batches.incrementAndGet() > 2) {
                    throw new IllegalStateException("killed");
                }
                return producer.sendConfirmed(images);
            };
            FileIngest files = new FileIngest(
                    new ImageFileScanner(List.of(), List.of()),
                    new ImageFileRecords(classSetId, ImageIdScheme.PATH, CcdTopics.MAX_INLINE_IMAGE_BYTES, null),
                    new ImageIngest(dying, ledger, 64, 1 << 24, c -> {}));
            assertThat(org.assertj.core.api.Assertions.catchThrowable(() -> files.once(List.of(root))))
                    .hasMessage("killed");
        }
        assertThat(images("r/")).hasSize(128);

        CommandRun resumed = CommandRun.of(ingest("files", ledgerDir, root.toString()));

        assertThat(resumed.exit()).as(resumed.output()).isZero();
        assertThat(resumed.output()).contains("Sent 172 of 300 images, 128 already sent before, 0 failed");
        List<ConsumerRecord<ImageKey, Image>> sent = images("r/");
        assertThat(sent).hasSize(300);
        assertThat(ids(sent)).doesNotHaveDuplicates();
    }

    @Test
    void shouldSendLargeFilesByClaimCheckFilterByGlobAndIdByContent() throws IOException {
        Path root = shared.resolve("mixed");
        Files.createDirectories(root.resolve("keep"));
        Files.write(root.resolve("keep/small.png"), png(7));
        byte[] large = new byte[CcdTopics.MAX_INLINE_IMAGE_BYTES + 10];
        new Random(1).nextBytes(large);
        System.arraycopy(png(8), 0, large, 0, 8); // a PNG signature; the scorer judges the rest
        Files.write(root.resolve("keep/large.png"), large);
        Files.write(root.resolve("keep/skip-me.png"), png(9));
        Files.writeString(root.resolve("keep/readme.txt"), "not an image");

        CommandRun run = CommandRun.of(ingest(
                "files", shared.resolve("ledger-mixed"), root.toString(), "--exclude", "skip-*", "--id", "content"));

        assertThat(run.exit()).as(run.output()).isZero();
        assertThat(run.output())
                .contains("Sent 2 of 2 images")
                .contains("1 images over 1048576 bytes went by claim check as file: URIs")
                .contains("--allow-file-root");
        List<ConsumerRecord<ImageKey, Image>> sent = images("");
        Image byClaimCheck = sent.stream()
                .map(ConsumerRecord::value)
                .filter(i -> i.getImageId().equals(ImageFileRecords.sha256(large)))
                .findFirst()
                .orElseThrow();
        assertThat(byClaimCheck.getData()).isNull();
        assertThat(byClaimCheck.getUri())
                .isEqualTo(root.resolve("keep/large.png").toRealPath().toUri().toString());
        assertThat(byClaimCheck.getByteSize()).isEqualTo(large.length);
        assertThat(byClaimCheck.getSource()).containsEntry("relative.path", "keep/large.png");
        assertThat(ids(sent)).contains(ImageFileRecords.sha256(png(7))).doesNotContain(ImageFileRecords.sha256(png(9)));
    }

    @Test
    void shouldSendTheGoodLinesOfAUrlListAndReportTheOthersWithTheirLineNumbers() throws IOException {
        Path list = shared.resolve("urls.txt");
        Files.writeString(
                list,
                "https://images.example.com/u/a.jpg\n"
                        + "this is not a url\n"
                        + "{\"id\": \"u/b\", \"uri\": \"https://images.example.com/b.png\", \"attributes\": {\"camera\": \"7\"}}\n");

        CommandRun run = CommandRun.of(ingest("urls", shared.resolve("ledger-urls"), list.toString()));

        assertThat(run.exit()).as(run.output()).isEqualTo(1);
        assertThat(run.output())
                .contains("line 2: not a URL")
                .contains("Sent 2 of 2 images")
                .contains("1 lines of");
        List<ConsumerRecord<ImageKey, Image>> sent = images("u");
        assertThat(ids(sent)).hasSize(1).containsExactly("u/b");
        assertThat(sent.get(0).value().getUri()).isEqualTo("https://images.example.com/b.png");
        assertThat(sent.get(0).value().getSource()).containsEntry("camera", "7");
        assertThat(ids(images("https://images.example.com/u/a.jpg"))).hasSize(1);
    }

    @Test
    void shouldWatchAFolderSendNewFilesOnceStableAndNotResendAfterARestart() throws Exception {
        Path root = shared.resolve("watched");
        writeFiles(root.resolve("w"), 3);
        Path ledgerDir = shared.resolve("ledger-watch");

        watchUntil(root, ledgerDir, 3, () -> {});
        assertThat(images("w/")).hasSize(3);

        // a restarted watch sends only the file that appeared since
        watchUntil(root, ledgerDir, 4, () -> {
            try {
                Files.write(root.resolve("w/late.png"), png(99));
            } catch (IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        });
        assertThat(ids(images("w/"))).hasSize(4).doesNotHaveDuplicates().contains("w/late.png");
    }

    private static void watchUntil(Path root, Path ledgerDir, int acknowledged, Runnable meanwhile) throws Exception {
        AtomicBoolean stop = new AtomicBoolean();
        try (ImageProducer producer = new ImageProducer(cluster.bootstrapServers(), cluster.serdes());
                IngestLedger ledger = IngestLedger.open(ledgerDir, classSetId)) {
            FileIngest files = new FileIngest(
                    new ImageFileScanner(List.of(), List.of()),
                    new ImageFileRecords(classSetId, ImageIdScheme.PATH, CcdTopics.MAX_INLINE_IMAGE_BYTES, null),
                    new ImageIngest(producer::sendConfirmed, ledger, 64, 1 << 24, c -> {}));
            Thread watcher = new Thread(() -> {
                try {
                    files.watch(List.of(root), Duration.ofMillis(200), stop::get, r -> {});
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            });
            watcher.start();
            Thread.sleep(300);
            meanwhile.run();
            long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
            while (ledger.size() < acknowledged && System.nanoTime() < deadline) {
                Thread.sleep(100);
            }
            stop.set(true);
            watcher.join(10_000);
            assertThat(ledger.size()).isEqualTo(acknowledged);
        }
    }
}
