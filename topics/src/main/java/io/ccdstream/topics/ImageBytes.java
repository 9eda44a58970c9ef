package io.ccdstream.topics;

import io.ccdstream.schemas.Image;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.ByteBuffer;
import java.nio.file.FileSystemNotFoundException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Flow;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Gets the encoded bytes of an image record: inline bytes, or a claim check — a {@code file:} URI
 * under one of the allowed roots, or an {@code http(s):} URL on one of the allowed hosts — read
 * within a size limit and, over HTTP, a time limit. Anything else is refused with a reason.
 *
 * @param allowedFileRoots directories whose files a claim check may name; empty refuses file URIs
 * @param allowedHosts     host names (or host:port) that claim-check URLs may point to; empty refuses http(s)
 * @param maxFetchBytes    largest claim-checked image accepted
 * @param fetchTimeout     longest an HTTP fetch may take, connection, headers and body included
 */
public record ImageBytes(
        List<Path> allowedFileRoots, List<String> allowedHosts, long maxFetchBytes, Duration fetchTimeout) {

    private static final HttpClient HTTP = HttpClient.newBuilder()
            .followRedirects(HttpClient.Redirect.NEVER)
            .connectTimeout(Duration.ofSeconds(10))
            .build();

    /** Freezes and normalises the allow-lists. */
    public ImageBytes {
        allowedFileRoots = allowedFileRoots.stream()
                .map(p -> p.toAbsolutePath().normalize())
                .toList();
        allowedHosts =
                allowedHosts.stream().map(h -> h.toLowerCase(Locale.ROOT)).toList();
    }

    /** Inline images only. */
    public static ImageBytes inlineOnly() {
        return new ImageBytes(List.of(), List.of(), 0, Duration.ofSeconds(1));
    }

    /** The encoded image of {@code image}. */
    public byte[] of(Image image) {
        ByteBuffer data = image.getData();
        String uri = image.getUri();
        if ((data == null) == (uri == null)) {
            throw new PoisonRecordException(
                    "INVALID_IMAGE_RECORD",
                    "image " + image.getImageId() + " must carry exactly one of data and uri, it has "
                            + (data == null ? "neither" : "both"));
        }
        if (data != null) {
            if (data.remaining() > CcdTopics.MAX_INLINE_IMAGE_BYTES) {
                throw new PoisonRecordException(
                        "IMAGE_TOO_LARGE",
                        "inline image " + image.getImageId() + " has "
                                + data.remaining() + " bytes, more than the " + CcdTopics.MAX_INLINE_IMAGE_BYTES
                                + " allowed inline: send it by claim check");
            }
            byte[] bytes = new byte[data.remaining()];
            data.duplicate().get(bytes);
            return bytes;
        }
        return fetch(image.getImageId(), uri);
    }

    private byte[] fetch(String imageId, String uriText) {
        URI uri;
        try {
            uri = URI.create(uriText);
        } catch (IllegalArgumentException e) {
            throw invalidUri(imageId, uriText, "not a URI", e);
        }
        String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
        return switch (scheme) {
            case "file" -> fetchFile(imageId, filePath(imageId, uri));
            case "http", "https" -> fetchHttp(imageId, httpUri(imageId, uri));
            default ->
                throw new PoisonRecordException(
                        "UNSUPPORTED_URI",
                        "image " + imageId + ": scheme of " + uriText
                                + " is not supported (file: under an allowed root, http(s): on an allowed host)");
        };
    }

    /** The path of a {@code file:///absolute/path} URI; any other shape of file URI is invalid. */
    private static Path filePath(String imageId, URI uri) {
        if (uri.isOpaque() || uri.getRawAuthority() != null) {
            throw invalidUri(
                    imageId, uri.toString(), "a file claim check is file:///absolute/path, with no host", null);
        }
        try {
            return Path.of(uri);
        } catch (IllegalArgumentException | FileSystemNotFoundException e) {
            throw invalidUri(imageId, uri.toString(), "not a file path", e);
        }
    }

    /** {@code uri} if it is an http(s) URL with a host. */
    private static URI httpUri(String imageId, URI uri) {
        if (uri.isOpaque() || uri.getHost() == null || uri.getHost().isEmpty()) {
            throw invalidUri(imageId, uri.toString(), "an http(s) claim check needs a host", null);
        }
        return uri;
    }

    private static PoisonRecordException invalidUri(String imageId, String uriText, String why, Exception cause) {
        return new PoisonRecordException("INVALID_URI", "image " + imageId + ": " + why + ": " + uriText, cause);
    }

    /**
     * Reads a file under an allowed root. The path must lie under a root both as written (after
     * {@code ..} is resolved) and once every symlink is resolved (its real path under a root's real
     * path), so a symlink cannot lead out of the roots. Only a regular file is opened: a FIFO, a
     * device or a directory could block or never end. A hard link is the file itself and cannot be
     * told from any other file of the root: whoever can write into a root decides what it holds.
     */
    private byte[] fetchFile(String imageId, Path requested) {
        Path path = requested.toAbsolutePath().normalize();
        if (allowedFileRoots.stream().noneMatch(path::startsWith)) {
            throw notAllowed(imageId, path + " is not under an allowed root " + allowedFileRoots);
        }
        Path real;
        BasicFileAttributes attributes;
        try {
            real = path.toRealPath();
            attributes = Files.readAttributes(real, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
        } catch (IOException e) {
            throw new PoisonRecordException("IMAGE_UNREADABLE", "image " + imageId + ": cannot read " + path, e);
        }
        if (realRoots().stream().noneMatch(real::startsWith)) {
            throw notAllowed(
                    imageId, path + " resolves to " + real + ", outside the allowed roots " + allowedFileRoots);
        }
        if (!attributes.isRegularFile()) {
            throw new PoisonRecordException(
                    "NOT_A_REGULAR_FILE", "image " + imageId + ": " + path + " is not a regular file");
        }
        if (attributes.size() > maxFetchBytes) {
            throw tooLarge(imageId, path.toUri());
        }
        try (InputStream in = Files.newInputStream(real, StandardOpenOption.READ, LinkOption.NOFOLLOW_LINKS)) {
            return readAtMost(imageId, path.toUri(), in);
        } catch (IOException e) {
            throw new PoisonRecordException("IMAGE_UNREADABLE", "image " + imageId + ": cannot read " + path, e);
        }
    }

    /** The real paths of the roots that exist now (a root may be created, or its symlink moved, later). */
    private List<Path> realRoots() {
        List<Path> real = new ArrayList<>();
        for (Path root : allowedFileRoots) {
            try {
                real.add(root.toRealPath());
            } catch (IOException e) {
                // a root that does not exist holds no file
            }
        }
        return real;
    }

    private static PoisonRecordException notAllowed(String imageId, String why) {
        return new PoisonRecordException("URI_NOT_ALLOWED", "image " + imageId + ": " + why);
    }

    private PoisonRecordException tooLarge(String imageId, URI uri) {
        return new PoisonRecordException(
                "IMAGE_TOO_LARGE", "image " + imageId + ": " + uri + " is larger than " + maxFetchBytes + " bytes");
    }

    /**
     * Fetches an http(s) URL within {@code fetchTimeout} for the whole exchange (connection,
     * headers and body) and {@code maxFetchBytes}: the body is collected off the calling thread
     * and the exchange is cancelled at the deadline or as soon as the body passes the limit, so a
     * server that trickles its body cannot hold the stream thread.
     */
    private byte[] fetchHttp(String imageId, URI uri) {
        String host = uri.getHost().toLowerCase(Locale.ROOT);
        String hostPort = uri.getPort() < 0 ? host : host + ":" + uri.getPort();
        if (!allowedHosts.contains(host) && !allowedHosts.contains(hostPort)) {
            throw notAllowed(imageId, "host " + hostPort + " is not on the allowed list " + allowedHosts);
        }
        CappedBody body = new CappedBody(imageId, uri);
        CompletableFuture<HttpResponse<byte[]>> response = HTTP.sendAsync(
                HttpRequest.newBuilder(uri).timeout(fetchTimeout).GET().build(), body);
        try {
            return response.get(fetchTimeout.toNanos(), TimeUnit.NANOSECONDS).body();
        } catch (TimeoutException e) {
            throw timedOut(imageId, uri, e);
        } catch (ExecutionException e) {
            Throwable cause = e.getCause();
            if (cause instanceof PoisonRecordException poison) {
                throw poison;
            }
            if (cause instanceof HttpTimeoutException) {
                throw timedOut(imageId, uri, cause);
            }
            throw new PoisonRecordException("IMAGE_UNREADABLE", "image " + imageId + ": cannot fetch " + uri, cause);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while fetching " + uri, e);
        } finally {
            body.cancel();
            response.cancel(true);
        }
    }

    private PoisonRecordException timedOut(String imageId, URI uri, Throwable cause) {
        return new PoisonRecordException(
                "IMAGE_FETCH_TIMEOUT",
                "image " + imageId + ": GET " + uri + " did not complete within " + fetchTimeout.toMillis() + " ms",
                cause instanceof Exception e ? e : null);
    }

    /** Collects a 200 response's body up to {@code maxFetchBytes}; anything else fails the exchange. */
    private final class CappedBody implements HttpResponse.BodyHandler<byte[]> {

        private final String imageId;
        private final URI uri;
        private volatile Flow.Subscription subscription;
        private volatile boolean cancelled;

        CappedBody(String imageId, URI uri) {
            this.imageId = imageId;
            this.uri = uri;
        }

        void cancel() {
            cancelled = true;
            Flow.Subscription current = subscription;
            if (current != null) {
                current.cancel();
            }
        }

        @Override
        public HttpResponse.BodySubscriber<byte[]> apply(HttpResponse.ResponseInfo info) {
            if (info.statusCode() != 200) {
                return refusing(new PoisonRecordException(
                        "IMAGE_UNREADABLE", "image " + imageId + ": GET " + uri + " answered " + info.statusCode()));
            }
            if (info.headers().firstValueAsLong("content-length").orElse(0) > maxFetchBytes) {
                return refusing(tooLarge(imageId, uri));
            }
            return new HttpResponse.BodySubscriber<>() {
                private final CompletableFuture<byte[]> result = new CompletableFuture<>();
                private final ByteArrayOutputStream bytes = new ByteArrayOutputStream();

                @Override
                public CompletionStage<byte[]> getBody() {
                    return result;
                }

                @Override
                public void onSubscribe(Flow.Subscription s) {
                    subscription = s;
                    if (cancelled) {
                        s.cancel();
                    } else {
                        s.request(Long.MAX_VALUE);
                    }
                }

                @Override
                public void onNext(List<ByteBuffer> buffers) {
                    for (ByteBuffer buffer : buffers) {
                        if (bytes.size() + (long) buffer.remaining() > maxFetchBytes) {
                            subscription.cancel();
                            result.completeExceptionally(tooLarge(imageId, uri));
                            return;
                        }
                        byte[] chunk = new byte[buffer.remaining()];
                        buffer.get(chunk);
                        bytes.writeBytes(chunk);
                    }
                }

                @Override
                public void onError(Throwable error) {
                    result.completeExceptionally(error);
                }

                @Override
                public void onComplete() {
                    result.complete(bytes.toByteArray());
                }
            };
        }

        private HttpResponse.BodySubscriber<byte[]> refusing(PoisonRecordException refusal) {
            return new HttpResponse.BodySubscriber<>() {
                private final CompletableFuture<byte[]> result = CompletableFuture.failedFuture(refusal);

                @Override
                public CompletionStage<byte[]> getBody() {
                    return result;
                }

                @Override
                public void onSubscribe(Flow.Subscription s) {
                    s.cancel();
                }

                @Override
                public void onNext(List<ByteBuffer> item) {}

                @Override
                public void onError(Throwable throwable) {}

                @Override
                public void onComplete() {}
            };
        }
    }

    private byte[] readAtMost(String imageId, URI uri, InputStream in) throws IOException {
        byte[] bytes = in.readNBytes((int) Math.min(Integer.MAX_VALUE - 8, maxFetchBytes + 1));
        if (bytes.length > maxFetchBytes) {
            throw tooLarge(imageId, uri);
        }
        return bytes;
    }
}
