package io.ccdstream.topics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.sun.net.httpserver.HttpServer;
import io.ccdstream.schemas.Image;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ImageBytesTest {

    @TempDir
    Path dir;

    private HttpServer server;
    private String host;

    @BeforeEach
    void serve() throws Exception {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/small.png", exchange -> {
            exchange.sendResponseHeaders(200, 5);
            exchange.getResponseBody().write(new byte[] {1, 2, 3, 4, 5});
            exchange.close();
        });
        server.createContext("/big.png", exchange -> {
            exchange.sendResponseHeaders(200, 100);
            exchange.getResponseBody().write(new byte[100]);
            exchange.close();
        });
        server.createContext("/slow.png", exchange -> {
            try {
                Thread.sleep(3000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            exchange.sendResponseHeaders(200, 1);
            exchange.getResponseBody().write(new byte[1]);
            exchange.close();
        });
        server.createContext("/trickle.png", exchange -> {
            // headers at once, then one byte at a time, far slower than the fetch timeout
            exchange.sendResponseHeaders(200, 20);
            try (var body = exchange.getResponseBody()) {
                for (int i = 0; i < 20; i++) {
                    body.write(i);
                    body.flush();
                    Thread.sleep(300);
                }
            } catch (java.io.IOException | InterruptedException e) {
                // the client gave up
            }
        });
        server.createContext("/endless.png", exchange -> {
            // chunked, no length announced: only the bytes read can tell it is too large
            exchange.sendResponseHeaders(200, 0);
            try (var body = exchange.getResponseBody()) {
                for (int i = 0; i < 100_000; i++) {
                    body.write(new byte[1024]);
                }
            } catch (java.io.IOException e) {
                // the client gave up
            }
        });
        server.setExecutor(java.util.concurrent.Executors.newCachedThreadPool());
        server.start();
        host = "127.0.0.1:" + server.getAddress().getPort();
    }

    @AfterEach
    void stop() {
        server.stop(0);
    }

    private static Image byUri(String uri) {
        return Image.newBuilder()
                .setImageId("i")
                .setClassSetId("cs")
                .setUri(uri)
                .setContentType("image/png")
                .setByteSize(5)
                .build();
    }

    private ImageBytes bytes() {
        return new ImageBytes(List.of(dir), List.of(host), 50, Duration.ofMillis(500));
    }

    private static String reasonOf(Runnable call) {
        try {
            call.run();
        } catch (PoisonRecordException e) {
            return e.reason();
        }
        throw new AssertionError("not refused");
    }

    @Test
    void shouldFetchFromAnAllowedHost() {
        assertThat(bytes().of(byUri("http://" + host + "/small.png"))).containsExactly(1, 2, 3, 4, 5);
    }

    @Test
    void shouldRefuseHostsNotOnTheAllowList() {
        assertThat(reasonOf(() -> bytes().of(byUri("http://example.invalid/x.png"))))
                .isEqualTo("URI_NOT_ALLOWED");
    }

    @Test
    void shouldRefuseImagesOverTheSizeLimit() {
        assertThat(reasonOf(() -> bytes().of(byUri("http://" + host + "/big.png"))))
                .isEqualTo("IMAGE_TOO_LARGE");
    }

    @Test
    void shouldGiveUpOnASlowServerAfterTheTimeout() {
        long start = System.nanoTime();
        assertThat(reasonOf(() -> bytes().of(byUri("http://" + host + "/slow.png"))))
                .isEqualTo("IMAGE_FETCH_TIMEOUT");
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofMillis(2500));
    }

    @Test
    void shouldBoundTheWholeFetchWhenTheBodyTrickles() {
        long start = System.nanoTime();
        assertThat(reasonOf(() -> bytes().of(byUri("http://" + host + "/trickle.png"))))
                .isEqualTo("IMAGE_FETCH_TIMEOUT");
        // 500 ms bound, the body would take 6 s
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofMillis(1500));
    }

    @Test
    void shouldStopReadingABodyWithoutLengthOnceItPassesTheSizeLimit() {
        assertThat(reasonOf(() -> bytes().of(byUri("http://" + host + "/endless.png"))))
                .isEqualTo("IMAGE_TOO_LARGE");
    }

    @Test
    void shouldReportAMissingResource() {
        assertThat(reasonOf(() -> bytes().of(byUri("http://" + host + "/none.png"))))
                .isEqualTo("IMAGE_UNREADABLE");
    }

    @Test
    void shouldReadFilesUnderAnAllowedRootOnly() throws Exception {
        Path inside = Files.write(dir.resolve("a.png"), new byte[] {9, 8});
        assertThat(bytes().of(byUri(inside.toUri().toString()))).containsExactly(9, 8);
        assertThat(reasonOf(() ->
                        bytes().of(byUri(dir.resolve("../escape.png").toUri().toString()))))
                .isEqualTo("URI_NOT_ALLOWED");
    }

    @Test
    void shouldRefuseMalformedFileUrisAsInvalidUri() {
        for (String uri : List.of(
                "file://host" + dir + "/a.png",
                "file:relative.png",
                "file:" + dir + "/a.png?query",
                "file:" + dir + "/a.png#fragment",
                "file:",
                "file:///%00",
                "http://" + host + "/a b.png",
                "http:relative.png",
                "http:///no-host.png")) {
            assertThat(reasonOf(() -> bytes().of(byUri(uri)))).as(uri).isEqualTo("INVALID_URI");
        }
    }

    @Test
    void shouldRefuseAFifoUnderAnAllowedRootWithoutOpeningIt() throws Exception {
        Path fifo = dir.resolve("pipe.png");
        boolean made;
        try {
            made = new ProcessBuilder("mkfifo", fifo.toString())
                            .inheritIO()
                            .start()
                            .waitFor()
                    == 0;
        } catch (java.io.IOException e) {
            made = false;
        }
        assumeTrue(made, "mkfifo is not available");
        long start = System.nanoTime();
        assertThat(reasonOf(() -> bytes().of(byUri(fifo.toUri().toString())))).isEqualTo("NOT_A_REGULAR_FILE");
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(2));
    }

    @Test
    void shouldRefuseDirectoriesUnderAnAllowedRoot() throws Exception {
        Path sub = Files.createDirectory(dir.resolve("sub"));
        assertThat(reasonOf(() -> bytes().of(byUri(sub.toUri().toString())))).isEqualTo("NOT_A_REGULAR_FILE");
    }

    @Test
    void shouldRefuseASymlinkThatPointsOutOfTheAllowedRoots() throws Exception {
        Path root = Files.createDirectory(dir.resolve("root"));
        Path outside = Files.write(dir.resolve("outside.png"), new byte[] {7});
        Path link = Files.createSymbolicLink(root.resolve("link.png"), outside);
        Path dirLink = Files.createSymbolicLink(root.resolve("up"), dir);
        ImageBytes rooted = new ImageBytes(List.of(root), List.of(), 50, Duration.ofMillis(500));

        assertThat(reasonOf(() -> rooted.of(byUri(link.toUri().toString())))).isEqualTo("URI_NOT_ALLOWED");
        assertThat(reasonOf(() -> rooted.of(byUri("file://" + dirLink + "/outside.png"))))
                .isEqualTo("URI_NOT_ALLOWED");
    }

    @Test
    void shouldFollowSymlinksThatStayInsideTheAllowedRoots() throws Exception {
        Path target = Files.write(dir.resolve("a.png"), new byte[] {4, 2});
        Path link = Files.createSymbolicLink(dir.resolve("alias.png"), target.getFileName());
        assertThat(bytes().of(byUri(link.toUri().toString()))).containsExactly(4, 2);
    }

    @Test
    void shouldCompareWithTheRealPathOfARootThatIsItselfASymlink() throws Exception {
        Path real = Files.createDirectory(dir.resolve("real"));
        Files.write(real.resolve("a.png"), new byte[] {5});
        Path rootLink = Files.createSymbolicLink(dir.resolve("root-link"), real);
        ImageBytes rooted = new ImageBytes(List.of(rootLink), List.of(), 50, Duration.ofMillis(500));
        assertThat(rooted.of(byUri(rootLink.resolve("a.png").toUri().toString())))
                .containsExactly(5);
    }

    @Test
    void shouldRefuseDotDotAndCaseTricksOutOfTheRoot() throws Exception {
        Path root = Files.createDirectory(dir.resolve("imgs"));
        Files.write(dir.resolve("secret.png"), new byte[] {1});
        ImageBytes rooted = new ImageBytes(List.of(root), List.of(), 50, Duration.ofMillis(500));
        for (String uri : List.of(
                "file://" + root + "/../secret.png",
                "file://" + root + "/%2e%2e/secret.png",
                "file://" + root + "/./sub/../../secret.png",
                "file://" + dir + "/IMGS/../secret.png",
                "file://" + dir + "/IMGS/a.png")) {
            assertThat(reasonOf(() -> rooted.of(byUri(uri)))).as(uri).isEqualTo("URI_NOT_ALLOWED");
        }
    }

    /**
     * A hard link is the file itself: one inside a root that shares its inode with a file outside
     * cannot be told apart from any other file of the root, so it is read. Whoever can write into
     * an allowed root decides what it holds.
     */
    @Test
    void shouldReadAHardLinkInsideTheRootLikeAnyOtherFile() throws Exception {
        Path root = Files.createDirectory(dir.resolve("root"));
        Path outside = Files.write(dir.resolve("outside.png"), new byte[] {3});
        Path hard;
        try {
            hard = Files.createLink(root.resolve("hard.png"), outside);
        } catch (UnsupportedOperationException | java.io.IOException e) {
            assumeTrue(false, "hard links not supported here: " + e);
            return;
        }
        ImageBytes rooted = new ImageBytes(List.of(root), List.of(), 50, Duration.ofMillis(500));
        assertThat(rooted.of(byUri(hard.toUri().toString()))).containsExactly(3);
    }

    @Test
    void shouldRefuseAFileOverTheSizeLimitBeforeReadingIt() throws Exception {
        Path big = Files.write(dir.resolve("big.png"), new byte[51]);
        assertThat(reasonOf(() -> bytes().of(byUri(big.toUri().toString())))).isEqualTo("IMAGE_TOO_LARGE");
    }

    @Test
    void shouldReportAMissingFileAsUnreadable() {
        assertThat(reasonOf(
                        () -> bytes().of(byUri(dir.resolve("none.png").toUri().toString()))))
                .isEqualTo("IMAGE_UNREADABLE");
    }

    @Test
    void shouldRefuseOtherSchemesAndBothOrNeitherSource() {
        assertThat(reasonOf(() -> bytes().of(byUri("ftp://h/x.png")))).isEqualTo("UNSUPPORTED_URI");
        Image both = byUri("http://" + host + "/small.png");
        both.setData(ByteBuffer.wrap(new byte[1]));
        assertThat(reasonOf(() -> bytes().of(both))).isEqualTo("INVALID_IMAGE_RECORD");
        assertThatThrownBy(() -> ImageBytes.inlineOnly().of(byUri("file:///etc/passwd")))
                .isInstanceOf(PoisonRecordException.class)
                .hasMessageContaining("not under an allowed root");
    }
}
