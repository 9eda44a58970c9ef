package io.ccdstream.models.classifier;

import io.ccdstream.models.BundledModels;
import io.ccdstream.models.clip.ClipModelDescriptor;
import io.ccdstream.models.clip.ClipModelException;
import io.ccdstream.models.clip.ClipModelFormat;
import io.ccdstream.models.clip.MiniClipArchitecture;
import io.ccdstream.models.clip.MiniClipBlock;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Objects;

/**
 * Which CNN turns images {@code [N, 3, S, S]} into the last convolutional feature map {@code [N,
 * F, h, w]} that the classifier's per-class 1x1 head reads.
 */
public sealed interface Backbone permits Backbone.SmallCnn, Backbone.ResNet, Backbone.TorchScript, Backbone.MiniClip {

    /** Stage widths of {@link #smallCnn()}: about 240 k parameters, a 8x8 map at 128 px. */
    List<Integer> SMALL_CNN_WIDTHS = List.of(32, 64, 128, 128);

    /** @return the demo backbone with {@link #SMALL_CNN_WIDTHS} */
    static Backbone smallCnn() {
        return new SmallCnn(SMALL_CNN_WIDTHS);
    }

    /** @return ResNet-50 (the released script's backbone), trained from scratch */
    static Backbone resNet50() {
        return new ResNet(50);
    }

    /** @return ResNet-101 (the paper's backbone), trained from scratch */
    static Backbone resNet101() {
        return new ResNet(101);
    }

    /**
     * @param file a traced TorchScript module mapping {@code float32[N, 3, S, S]} to {@code [N, F, h,
     *     w]}
     * @return a backbone that is loaded from the file and fine-tuned
     */
    static Backbone torchScript(Path file) {
        return new TorchScript(file);
    }

    /**
     * The convolutional tower of the mini-CLIP bundled in the jar ({@code BundledModels.DEFAULT}),
     * with its trained weights: stage widths and layout are read from its {@code clip.json}, so
     * whatever mini-CLIP is bundled is used.
     *
     * @return the backbone
     * @throws ClassifierException if the bundled descriptor cannot be read or is not a mini-CLIP
     */
    static Backbone bundledMiniClip() throws ClassifierException {
        return MiniClip.of(MiniClip.BUNDLED);
    }

    /**
     * The convolutional tower of a {@code djl-mini-clip} model directory, with its trained weights.
     *
     * @param modelDir the directory holding {@code clip.json} and the parameter file
     * @return the backbone
     * @throws ClassifierException if the descriptor cannot be read or is not a mini-CLIP
     */
    static Backbone miniClip(Path modelDir) throws ClassifierException {
        return MiniClip.of(modelDir.toString());
    }

    /**
     * A small plain CNN for the demo: per width, a 3x3 convolution with stride 2 (no bias),
     * batch normalisation and ReLU. The map side is {@code S / 2^stages}.
     *
     * @param widths output channels of each stage, at least one stage
     */
    record SmallCnn(List<Integer> widths) implements Backbone {
        /** @throws IllegalArgumentException for no stage or a width below 1 */
        public SmallCnn {
            widths = List.copyOf(Objects.requireNonNull(widths, "widths"));
            if (widths.isEmpty() || widths.stream().anyMatch(w -> w < 1)) {
                throw new IllegalArgumentException(
                        "small CNN needs at least one stage, all widths >= 1, got " + widths);
            }
        }
    }

    /**
     * ResNet v1 with bottleneck blocks (DJL's {@code ResNetV1}) without its pooling and classifier:
     * the output is the last stage, 2048 channels at {@code S / 32}. Needs an input side above 32
     * so that the ImageNet stem (7x7 convolution, max pooling) is used.
     *
     * @param layers 50 or 101 (DJL also knows 152, 200 and 269)
     */
    record ResNet(int layers) implements Backbone {
        /** @throws IllegalArgumentException for a depth DJL has no layout for */
        public ResNet {
            if (!List.of(50, 101, 152, 200, 269).contains(layers)) {
                throw new IllegalArgumentException("ResNet depth must be 50, 101, 152, 200 or 269, got " + layers);
            }
        }
    }

    /**
     * A traced TorchScript module whose parameters are fine-tuned with the head: DJL's PyTorch
     * engine loads it with {@code trainParam=true}, autograd flows through the module and the
     * optimiser updates its parameters (with the backbone learning rate). A checkpoint embeds the
     * whole module, so {@code file} is only read when a classifier is created from scratch; for a
     * loaded checkpoint it is the file name recorded at creation, for information.
     *
     * <p>Limits: the module must run on the CPU in float32 and return one 4-D tensor; the
     * classifier normalises inputs with its configured mean and std, which must be the ones the
     * module was trained with; batch-norm statistics inside the module are updated by libtorch in
     * training mode and saved with it, but are not visible as DJL parameters; on loading, only
     * the head's parameter shapes and the output shape can be checked against the header.
     *
     * @param file the {@code .pt} file
     */
    record TorchScript(Path file) implements Backbone {
        /** @throws NullPointerException for a null file */
        public TorchScript {
            Objects.requireNonNull(file, "file");
        }
    }

    /**
     * The image encoder of a mini-CLIP ({@link MiniClipBlock}) without its pooling and projection:
     * per stage a stride-2 3x3 convolution (and, with two convolutions per stage, a stride-1 one),
     * each with batch normalisation and ReLU. A new classifier copies the trained tower's weights
     * from {@code source} (then fine-tunes them, or keeps them frozen when the trainer says so); a
     * checkpoint stores the widths and layout and all weights, so {@code source} is only read when
     * a classifier is created, and is recorded for information.
     *
     * <p>The tower was trained on inputs normalised with the mini-CLIP's mean and std; {@link
     * #descriptor()} gives them, for {@link ClassifierConfig.Builder#optMean(float[])}.
     *
     * @param widths output channels of each stage
     * @param convsPerStage 3x3 convolutions per stage, 1 or 2
     * @param source {@value #BUNDLED} for the mini-CLIP bundled in the jar, else a model directory
     */
    record MiniClip(List<Integer> widths, int convsPerStage, String source) implements Backbone {

        /** The {@code source} of the bundled mini-CLIP. */
        public static final String BUNDLED = "bundled";

        /** @throws IllegalArgumentException for no stage, a width below 1 or a bad layout */
        public MiniClip {
            widths = List.copyOf(Objects.requireNonNull(widths, "widths"));
            Objects.requireNonNull(source, "source");
            if (widths.isEmpty() || widths.stream().anyMatch(w -> w < 1)) {
                throw new IllegalArgumentException(
                        "mini-CLIP tower needs at least one stage, all widths >= 1, got " + widths);
            }
            if (convsPerStage < 1 || convsPerStage > 2) {
                throw new IllegalArgumentException("convsPerStage must be 1 or 2, got " + convsPerStage);
            }
        }

        static MiniClip of(String source) throws ClassifierException {
            MiniClipArchitecture architecture =
                    new MiniClip(List.of(1), 1, source).descriptor().architecture();
            return new MiniClip(architecture.imageWidths(), architecture.convsPerStage(), source);
        }

        /**
         * Reads the source's {@code clip.json}.
         *
         * @return the descriptor, of format {@code djl-mini-clip}
         * @throws ClassifierException if it cannot be read or is not a mini-CLIP descriptor
         */
        public ClipModelDescriptor descriptor() throws ClassifierException {
            ClipModelDescriptor descriptor;
            try {
                if (BUNDLED.equals(source)) {
                    try (InputStream in = BundledModels.open(BundledModels.DEFAULT, ClipModelDescriptor.FILE_NAME)) {
                        descriptor = ClipModelDescriptor.parse(
                                new String(in.readAllBytes(), StandardCharsets.UTF_8),
                                "bundled " + BundledModels.DEFAULT + "/" + ClipModelDescriptor.FILE_NAME);
                    }
                } else {
                    descriptor = ClipModelDescriptor.read(Path.of(source));
                }
            } catch (IOException | ClipModelException e) {
                throw new ClassifierException(
                        "cannot read the mini-CLIP descriptor of backbone source " + source + ": " + e.getMessage(), e);
            }
            if (descriptor.format() != ClipModelFormat.DJL_MINI_CLIP) {
                throw new ClassifierException("backbone source " + source + " is a "
                        + descriptor.format().id()
                        + " CLIP model; a mini-CLIP backbone needs a " + ClipModelFormat.DJL_MINI_CLIP.id()
                        + " directory (for a TorchScript trunk use torchscript:<file>)");
            }
            return descriptor;
        }

        /**
         * @return the source's parameter file, to be closed by the caller
         * @throws IOException if it cannot be opened
         */
        InputStream openParameters(ClipModelDescriptor descriptor) throws IOException {
            return BUNDLED.equals(source)
                    ? BundledModels.open(BundledModels.DEFAULT, descriptor.modelFile())
                    : Files.newInputStream(Path.of(source).resolve(descriptor.modelFile()));
        }
    }
}
