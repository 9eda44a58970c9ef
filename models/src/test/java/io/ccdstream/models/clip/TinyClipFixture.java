package io.ccdstream.models.clip;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.ccdstream.method.image.RgbImage;
import io.ccdstream.testsupport.TinyClip;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.Proxy;
import java.net.ProxySelector;
import java.net.SocketAddress;
import java.net.URI;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * The tiny-clip test model directory (test-support's {@link TinyClip}), its Python
 * test vectors, one shared loaded model, and a record of every network connection the JVM tries
 * (a ProxySelector is consulted by every URLConnection), installed before DJL is touched.
 */
final class TinyClipFixture {

    static final List<URI> NETWORK_ATTEMPTS = new CopyOnWriteArrayList<>();

    static {
        ProxySelector.setDefault(new ProxySelector() {
            @Override
            public List<Proxy> select(URI uri) {
                NETWORK_ATTEMPTS.add(uri);
                return List.of(Proxy.NO_PROXY);
            }

            @Override
            public void connectFailed(URI uri, SocketAddress address, IOException e) {
                // recorded in select already
            }
        });
    }

    private static ClipModel shared;

    private TinyClipFixture() {}

    /** DJL's PyTorch engine, started only after the network recorder is in place. */
    static ai.djl.engine.Engine pytorch() {
        return io.ccdstream.models.djl.DjlRuntime.pytorch();
    }

    static Path modelDir() {
        return TinyClip.modelDir();
    }

    /** One model for the whole test JVM; loading libtorch and the module is the slow part. */
    static synchronized ClipModel sharedModel() throws ClipModelException {
        if (shared == null) {
            shared = ClipModel.load(modelDir());
            Runtime.getRuntime().addShutdownHook(new Thread(shared::close));
        }
        return shared;
    }

    static JsonNode expected() {
        try {
            return new ObjectMapper()
                    .readTree(modelDir().resolve("expected.json").toFile());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static float[] floats(JsonNode array) {
        float[] out = new float[array.size()];
        for (int i = 0; i < out.length; i++) {
            out[i] = (float) array.get(i).asDouble();
        }
        return out;
    }

    static long[] longs(JsonNode array) {
        long[] out = new long[array.size()];
        for (int i = 0; i < out.length; i++) {
            out[i] = array.get(i).asLong();
        }
        return out;
    }

    static RgbImage image(JsonNode image) {
        JsonNode pixels = image.get("pixels");
        int[] packed = new int[pixels.size()];
        for (int i = 0; i < packed.length; i++) {
            packed[i] = pixels.get(i).asInt();
        }
        return RgbImage.of(image.get("width").asInt(), image.get("height").asInt(), packed);
    }
}
