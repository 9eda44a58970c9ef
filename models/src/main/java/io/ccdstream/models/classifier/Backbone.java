package io.ccdstream.models.classifier;

import java.nio.file.Path;
import java.util.List;
import java.util.Objects;

/**
 * Which CNN turns images {@code [N, 3, S, S]} into the last convolutional feature map {@code [N,
 * F, h, w]} that the classifier's per-class 1x1 head reads.
 */
public sealed interface Backbone permits Backbone.SmallCnn, Backbone.ResNet, Backbone.TorchScript {

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
}
