package io.ccdstream.streams.integration;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpServer;
import io.ccdstream.data.ImageRecords;
import io.ccdstream.data.synth.SynthClass;
import io.ccdstream.data.synth.SynthScenes;
import io.ccdstream.models.BundledModels;
import io.ccdstream.models.clip.ClassSet;
import io.ccdstream.models.clip.ClipModel;
import io.ccdstream.schemas.Image;
import io.ccdstream.schemas.ImageKey;
import io.ccdstream.schemas.Label;
import io.ccdstream.streams.errors.DeadLetterHandler;
import io.ccdstream.streams.pipeline.Pipeline;
import io.ccdstream.streams.pipeline.PipelineSettings;
import io.ccdstream.testsupport.TestCluster;
import io.ccdstream.topics.CcdTopics;
import io.ccdstream.topics.DeadLetters;
import io.ccdstream.topics.ImageBytes;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import javax.imageio.ImageIO;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.Serializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every kind of bad image record the scorer refuses, interleaved with good images, through the
 * real scorer and labeler (bundled CLIP model) on the test cluster: each bad record becomes
 * exactly one dead letter with its reason, each good neighbour a label, the services stay up, and
 * a claim check whose server trickles its body holds the stream thread no longer than the fetch
 * timeout (the whole corpus is done before that body could have been read).
 */
class BadInputCorpusIT {

    private static final Duration FETCH_TIMEOUT = Duration.ofSeconds(2);
    /** Bytes of the trickled body, one a second: far past the fetch timeout and the transaction timeout. */
    private static final int TRICKLE_SECONDS = 40;

    private static final long MAX_FETCH_BYTES = 1024 * 1024;

    @TempDir
    static Path dataDir;

    private static TestCluster cluster;
    private static ClassSet classSet;
    private static Pipeline pipeline;
    private static HttpServer server;
    private static String host;
    private static Path root;

    @BeforeAll
    static void start() throws Exception {
        cluster = TestCluster.start(dataDir, 2);
        Path modelDir = BundledModels.extract(BundledModels.DEFAULT, dataDir.resolve("models"));
        try (ClipModel model = ClipModel.load(modelDir)) {
            classSet = model.classSet(SynthClass.names());
        }
        root = Files.createDirectories(dataDir.resolve("images"));
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.setExecutor(Executors.newCachedThreadPool());
        server.createContext("/good.png", exchange -> {
            byte[] png = png(100);
            exchange.sendResponseHeaders(200, png.length);
            try (OutputStream body = exchange.getResponseBody()) {
                body.write(png);
            }
        });
        server.createContext("/trickle.png", exchange -> {
            exchange.sendResponseHeaders(200, TRICKLE_SECONDS);
            try (OutputStream body = exchange.getResponseBody()) {
                for (int i = 0; i < TRICKLE_SECONDS; i++) {
                    body.write(0x89);
                    body.flush();
                    Thread.sleep(1000);
                }
            } catch (IOException | InterruptedException e) {
                // the scorer gave up, as it should
            }
        });
        server.start();
        host = "127.0.0.1:" + server.getAddress().getPort();
        PipelineSettings settings = PipelineSettings.defaults(modelDir, classSet)
                .withClaimChecks(new ImageBytes(List.of(root), List.of(host), MAX_FETCH_BYTES, FETCH_TIMEOUT));
        pipeline = Pipeline.start(
                StreamsTestConfig.of(cluster, "corpus"),
                settings,
                List.of(Pipeline.Service.scorer, Pipeline.Service.labeler));
    }

    @AfterAll
    static void stop() {
        if (pipeline != null) {
            pipeline.close();
        }
        if (server != null) {
            server.stop(0);
            ((java.util.concurrent.ExecutorService) server.getExecutor()).shutdownNow();
        }
        if (cluster != null) {
            cluster.close();
        }
    }

    /** One record to send: raw key and value, the reason of its dead letter, or null for a good image. */
    private record Case(String name, byte[] key, byte[] value, String reason) {}

    @Test
    void shouldDeadLetterEachBadRecordOnceAndLabelItsGoodNeighbours() throws Exception {
        // Given the corpus: every bad record between two good images
        String topic = CcdTopics.IMAGES.name();
        Serializer<ImageKey> keys = CcdTopics.IMAGES.keySerde(cluster.serdes()).serializer();
        Serializer<Image> values = CcdTopics.IMAGES.valueSerde(cluster.serdes()).serializer();
        List<Case> bad = badRecords(topic, keys, values);
        List<Case> corpus = new ArrayList<>();
        List<String> goodIds = new ArrayList<>();
        for (int i = 0; i < bad.size(); i++) {
            Case good = goodRecord(i, topic, keys, values);
            goodIds.add(good.name());
            corpus.add(good);
            corpus.add(bad.get(i));
        }
        Case last = goodRecord(bad.size(), topic, keys, values);
        goodIds.add(last.name());
        corpus.add(last);

        // When it is sent
        long start = System.nanoTime();
        Map<String, Case> bySource = new LinkedHashMap<>();
        try (KafkaProducer<byte[], byte[]> producer =
                cluster.producer(new ByteArraySerializer(), new ByteArraySerializer())) {
            for (Case c : corpus) {
                RecordMetadata sent = producer.send(new ProducerRecord<>(topic, c.key(), c.value()))
                        .get(TestCluster.SEND_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
                if (c.reason() != null) {
                    bySource.put(topic + "-" + sent.partition() + "@" + sent.offset(), c);
                }
            }
        }

        // Then every good image is labelled and every bad record dead-lettered
        Map<String, Label> labels = new HashMap<>();
        List<ConsumerRecord<byte[], byte[]>> deadLetters = new ArrayList<>();
        try (var labelReader = new Reader<>(
                        CcdTopics.LABELS.name(),
                        CcdTopics.LABELS.keySerde(cluster.serdes()).deserializer(),
                        CcdTopics.LABELS.valueSerde(cluster.serdes()).deserializer());
                var dlqReader = new Reader<>(
                        CcdTopics.DEAD_LETTERS, new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
            long deadline = System.nanoTime() + Duration.ofSeconds(120).toNanos();
            while ((labels.size() < goodIds.size() || deadLetters.size() < bad.size())
                    && System.nanoTime() < deadline) {
                labelReader.poll().forEach(r -> labels.put(r.key().getImageId(), r.value()));
                dlqReader.poll().forEach(deadLetters::add);
            }
            Duration took = Duration.ofNanos(System.nanoTime() - start);
            System.out.printf(
                    "bad-input corpus: %d good, %d bad records done in %d ms%n",
                    goodIds.size(), bad.size(), took.toMillis());
            // a fetch that waited for the trickled body could not have finished before it
            assertThat(took).isLessThan(Duration.ofSeconds(TRICKLE_SECONDS - 5));
            // a second look: no dead letter comes twice (a stream thread held past the transaction
            // timeout would be fenced and process its records again)
            long settle = System.nanoTime() + Duration.ofSeconds(3).toNanos();
            while (System.nanoTime() < settle) {
                dlqReader.poll().forEach(deadLetters::add);
            }
        }

        assertThat(labels.keySet()).containsExactlyInAnyOrderElementsOf(goodIds);
        Map<String, String> actual = new LinkedHashMap<>();
        for (ConsumerRecord<byte[], byte[]> dead : deadLetters) {
            String source = DeadLetters.source(dead.headers());
            assertThat(actual.put(source, DeadLetters.header(dead.headers(), DeadLetters.REASON)))
                    .as("a second dead letter for %s (%s)", source, bySource.get(source))
                    .isNull();
            assertThat(DeadLetters.header(dead.headers(), DeadLetters.MESSAGE)).isNotBlank();
        }
        Map<String, String> expected = new LinkedHashMap<>();
        bySource.forEach((source, c) -> expected.put(source, c.reason()));
        Map<String, String> names = new LinkedHashMap<>();
        bySource.forEach((source, c) -> names.put(source, c.name()));
        assertThat(actual).as("dead letters by source, cases %s", names).isEqualTo(expected);
        assertThat(pipeline.isAlive()).isTrue();
        assertThat(pipeline.failure()).isEmpty();
    }

    private Case goodRecord(int i, String topic, Serializer<ImageKey> keys, Serializer<Image> values)
            throws IOException {
        String id = "good-" + i;
        byte[] png = new SynthScenes(11, 64, 0.0).generate(i).png();
        Image image = switch (i % 4) {
            case 0 -> ImageRecords.inline(classSet.id(), id, png, "image/png", null, Map.of());
            case 1 ->
                byUri(id, Files.write(root.resolve(id + ".png"), png).toUri().toString());
            case 2 -> byUri(id, "http://" + host + "/good.png");
            default -> {
                Path target = Files.write(root.resolve(id + "-target.png"), png);
                Path link = Files.createSymbolicLink(root.resolve(id + ".png"), target.getFileName());
                yield byUri(id, link.toUri().toString());
            }
        };
        return new Case(id, keys.serialize(topic, key(id)), values.serialize(topic, image), null);
    }

    private List<Case> badRecords(String topic, Serializer<ImageKey> keys, Serializer<Image> values) throws Exception {
        List<Case> cases = new ArrayList<>();
        byte[] png = png(64);
        Path outside = Files.write(dataDir.resolve("outside.png"), png);
        Path bigFile = Files.write(root.resolve("big.png"), new byte[(int) MAX_FETCH_BYTES + 1]);

        // records the serdes refuse
        cases.add(new Case(
                "not Avro",
                keys.serialize(topic, key("json")),
                "{\"imageId\":\"json\"}".getBytes(StandardCharsets.UTF_8),
                DeadLetterHandler.DESERIALIZATION));
        cases.add(new Case(
                "unknown schema id",
                keys.serialize(topic, key("ghost")),
                new byte[] {0, 0, 0, 0x30, 0x39, 2, 2},
                DeadLetterHandler.DESERIALIZATION));
        cases.add(new Case("tombstone", keys.serialize(topic, key("deleted")), null, "TOMBSTONE"));

        // records that are not a valid image record
        Image unknownClassSet = ImageRecords.inline("0123456789abcdef", "stranger", png, "image/png", null, Map.of());
        cases.add(new Case(
                "unknown class set",
                keys.serialize(topic, new ImageKey("0123456789abcdef", "stranger")),
                values.serialize(topic, unknownClassSet),
                "UNKNOWN_CLASS_SET"));
        cases.add(inline("", "empty image id", png, "EMPTY_IMAGE_ID", topic, keys, values));
        Image mismatched = ImageRecords.inline(classSet.id(), "other", png, "image/png", null, Map.of());
        cases.add(new Case(
                "key does not match the value",
                keys.serialize(topic, key("mismatch")),
                values.serialize(topic, mismatched),
                "KEY_MISMATCH"));
        Image both = byUri("both", outside.toUri().toString());
        both.setData(ByteBuffer.wrap(png));
        cases.add(new Case(
                "data and uri",
                keys.serialize(topic, key("both")),
                values.serialize(topic, both),
                "INVALID_IMAGE_RECORD"));

        // inline bytes that are no usable image
        cases.add(inline("empty", "empty image", new byte[0], "IMAGE_EMPTY", topic, keys, values));
        byte[] noise = new byte[512];
        new java.util.Random(7).nextBytes(noise);
        cases.add(inline("noise", "not an image", noise, "IMAGE_UNSUPPORTED_FORMAT", topic, keys, values));
        cases.add(inline(
                "corrupt",
                "PNG cut in half",
                Arrays.copyOf(png, png.length / 2),
                "IMAGE_CORRUPT",
                topic,
                keys,
                values));
        cases.add(inline("huge", "6000x6000 PNG", binaryPng(6000, 6000), "IMAGE_TOO_MANY_PIXELS", topic, keys, values));
        cases.add(inline("strip", "9000x2 PNG", binaryPng(9000, 2), "IMAGE_TOO_LARGE_SIDE", topic, keys, values));

        // claim checks
        cases.add(claim("authority", "file://host" + outside, "INVALID_URI", topic, keys, values));
        cases.add(claim("relative", "file:relative.png", "INVALID_URI", topic, keys, values));
        cases.add(claim("not a URI", "http://" + host + "/a b.png", "INVALID_URI", topic, keys, values));
        cases.add(claim("ftp", "ftp://" + host + "/x.png", "UNSUPPORTED_URI", topic, keys, values));
        cases.add(claim("outside", outside.toUri().toString(), "URI_NOT_ALLOWED", topic, keys, values));
        cases.add(claim("dotdot", "file://" + root + "/../outside.png", "URI_NOT_ALLOWED", topic, keys, values));
        Path linkOut = Files.createSymbolicLink(root.resolve("link-out.png"), outside);
        cases.add(claim("symlink out", linkOut.toUri().toString(), "URI_NOT_ALLOWED", topic, keys, values));
        cases.add(claim("other host", "http://example.invalid/x.png", "URI_NOT_ALLOWED", topic, keys, values));
        cases.add(claim(
                "missing file", root.resolve("none.png").toUri().toString(), "IMAGE_UNREADABLE", topic, keys, values));
        cases.add(claim("404", "http://" + host + "/none.png", "IMAGE_UNREADABLE", topic, keys, values));
        cases.add(claim("directory", root.toUri().toString(), "NOT_A_REGULAR_FILE", topic, keys, values));
        Path fifo = root.resolve("fifo.png");
        if (new ProcessBuilder("mkfifo", fifo.toString()).start().waitFor() == 0) {
            cases.add(claim("fifo", fifo.toUri().toString(), "NOT_A_REGULAR_FILE", topic, keys, values));
        }
        cases.add(claim("big file", bigFile.toUri().toString(), "IMAGE_TOO_LARGE", topic, keys, values));
        cases.add(
                claim("trickled body", "http://" + host + "/trickle.png", "IMAGE_FETCH_TIMEOUT", topic, keys, values));
        return cases;
    }

    private static Case inline(
            String id,
            String name,
            byte[] bytes,
            String reason,
            String topic,
            Serializer<ImageKey> keys,
            Serializer<Image> values) {
        Image image = ImageRecords.inline(classSet.id(), id, bytes, "image/png", null, Map.of());
        return new Case(name, keys.serialize(topic, key(id)), values.serialize(topic, image), reason);
    }

    private static Case claim(
            String id, String uri, String reason, String topic, Serializer<ImageKey> keys, Serializer<Image> values) {
        return new Case(
                id + " " + uri, keys.serialize(topic, key(id)), values.serialize(topic, byUri(id, uri)), reason);
    }

    private static ImageKey key(String id) {
        return new ImageKey(classSet.id(), id);
    }

    private static Image byUri(String id, String uri) {
        return Image.newBuilder()
                .setImageId(id)
                .setClassSetId(classSet.id())
                .setUri(uri)
                .setContentType("image/png")
                .setByteSize(0)
                .build();
    }

    private static byte[] png(int side) throws IOException {
        return new SynthScenes(3, side, 0.0).generate(0).png();
    }

    /** A complete PNG of one bit per pixel: small encoded, whatever its canvas. */
    private static byte[] binaryPng(int width, int height) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ImageIO.write(new BufferedImage(width, height, BufferedImage.TYPE_BYTE_BINARY), "png", out);
        return out.toByteArray();
    }

    /** A read_committed consumer of one topic from its beginning. */
    private static final class Reader<K, V> implements AutoCloseable {
        private final org.apache.kafka.clients.consumer.KafkaConsumer<K, V> consumer;

        Reader(
                String topic,
                org.apache.kafka.common.serialization.Deserializer<K> keys,
                org.apache.kafka.common.serialization.Deserializer<V> values) {
            Map<String, Object> props = new HashMap<>();
            props.put("bootstrap.servers", cluster.bootstrapServers());
            props.put("group.id", "corpus-" + topic + "-" + System.nanoTime());
            props.put("auto.offset.reset", "earliest");
            props.put("isolation.level", "read_committed");
            props.put("max.partition.fetch.bytes", 4 * 1024 * 1024);
            consumer = new org.apache.kafka.clients.consumer.KafkaConsumer<>(props, keys, values);
            consumer.subscribe(List.of(topic));
        }

        Iterable<ConsumerRecord<K, V>> poll() {
            return consumer.poll(Duration.ofMillis(200));
        }

        @Override
        public void close() {
            consumer.close();
        }
    }
}
