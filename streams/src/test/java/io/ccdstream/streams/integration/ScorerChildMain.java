package io.ccdstream.streams.integration;

import io.ccdstream.data.synth.SynthClass;
import io.ccdstream.models.clip.ClassSet;
import io.ccdstream.models.clip.ClipModelDescriptor;
import io.ccdstream.streams.CcdStreamsConfig;
import io.ccdstream.streams.pipeline.Pipeline;
import io.ccdstream.streams.pipeline.PipelineSettings;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * A scorer in its own JVM, for tests that kill it uncleanly.
 * Arguments: bootstrap servers, registry URL, state directory, CLIP model directory.
 */
public final class ScorerChildMain {

    private ScorerChildMain() {}

    public static void main(String[] args) throws Exception {
        Path modelDir = Path.of(args[3]);
        ClassSet classSet = ClassSet.of(
                ClipModelDescriptor.read(modelDir).modelId(),
                SynthClass.names(),
                List.of(ClipModelDescriptor.read(modelDir).promptTemplate()));
        CcdStreamsConfig config = new CcdStreamsConfig(Map.of(
                CcdStreamsConfig.BOOTSTRAP_SERVERS, args[0],
                CcdStreamsConfig.SCHEMA_REGISTRY_URL, args[1],
                CcdStreamsConfig.STATE_DIR, args[2]));
        Pipeline pipeline =
                Pipeline.start(config, PipelineSettings.defaults(modelDir, classSet), List.of(Pipeline.Service.scorer));
        System.out.println("READY");
        System.out.flush();
        // runs until killed; exits if the parent closes our stdin
        while (System.in.read() >= 0) {
            Thread.onSpinWait();
        }
        pipeline.close();
    }
}
