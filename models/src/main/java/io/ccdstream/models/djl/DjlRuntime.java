package io.ccdstream.models.djl;

import ai.djl.engine.Engine;

/**
 * The one place where the project starts DJL: it keeps DJL offline and returns the PyTorch
 * engine backed by the native library that ships on the classpath.
 *
 * <p>Offline means: unless the user decided otherwise (system property {@value #OFFLINE_PROPERTY}
 * or environment variable {@code DJL_OFFLINE} already set), {@link #pytorch()} sets the system
 * property {@value #OFFLINE_PROPERTY}{@code =true} before the engine loads. DJL then refuses to
 * download a native library or a model and skips its usage telemetry ({@code Ec2Utils.callHome}
 * returns early in offline mode). The libtorch binaries come from the
 * {@code ai.djl.pytorch:pytorch-native-cpu} and {@code pytorch-jni} jars and are only extracted to
 * DJL's cache directory ({@code ~/.djl.ai}, or {@code DJL_CACHE_DIR}).
 */
public final class DjlRuntime {

    /** DJL's offline switch (DJL reads it in {@code ai.djl.util.Utils.isOfflineMode()}). */
    public static final String OFFLINE_PROPERTY = "ai.djl.offline";

    /** The engine name the models use. */
    public static final String PYTORCH = "PyTorch";

    private DjlRuntime() {}

    /**
     * Makes DJL offline (unless configured otherwise) and returns the PyTorch engine, loading
     * libtorch on first use.
     *
     * @return the PyTorch engine
     * @throws ai.djl.engine.EngineException if libtorch cannot be loaded from the classpath
     */
    public static Engine pytorch() {
        ensureOffline();
        return Engine.getEngine(PYTORCH);
    }

    /** Sets {@value #OFFLINE_PROPERTY}{@code =true} unless the property or DJL_OFFLINE is set. */
    public static void ensureOffline() {
        if (System.getProperty(OFFLINE_PROPERTY) == null && System.getenv("DJL_OFFLINE") == null) {
            System.setProperty(OFFLINE_PROPERTY, "true");
        }
    }
}
