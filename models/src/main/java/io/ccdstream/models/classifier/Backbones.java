package io.ccdstream.models.classifier;

import ai.djl.MalformedModelException;
import ai.djl.Model;
import ai.djl.basicmodelzoo.cv.classification.ResNetV1;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Activation;
import ai.djl.nn.Block;
import ai.djl.nn.Parameter;
import ai.djl.nn.SequentialBlock;
import ai.djl.nn.convolutional.Conv2d;
import ai.djl.nn.core.Linear;
import ai.djl.nn.norm.BatchNorm;
import ai.djl.pytorch.engine.PtNDManager;
import ai.djl.pytorch.engine.PtSymbolBlock;
import io.ccdstream.models.clip.ClipModelDescriptor;
import io.ccdstream.models.clip.MiniClipArchitecture;
import io.ccdstream.models.clip.MiniClipBlock;
import io.ccdstream.models.djl.DjlRuntime;
import java.io.BufferedInputStream;
import java.io.DataInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** Builds the DJL block of a {@link Backbone}. */
final class Backbones {

    /** ResNetV1 ends with global pooling, flatten, the linear classifier and flatten. */
    private static final int RESNET_TAIL_BLOCKS = 4;

    private Backbones() {}

    /**
     * A backbone with fresh weights, or for {@link Backbone.TorchScript} the module from its file,
     * loaded into {@code model} with trainable parameters.
     */
    static Block create(Backbone backbone, int inputSize, Model model) throws ClassifierException {
        if (backbone instanceof Backbone.SmallCnn cnn) {
            return smallCnn(cnn.widths());
        }
        if (backbone instanceof Backbone.ResNet resNet) {
            return resNet(resNet.layers(), inputSize);
        }
        if (backbone instanceof Backbone.MiniClip miniClip) {
            return MiniClipBlock.convolutionalTower(miniClip.widths(), miniClip.convsPerStage());
        }
        Backbone.TorchScript torchScript = (Backbone.TorchScript) backbone;
        if (!Files.isRegularFile(torchScript.file())) {
            throw new ClassifierException("TorchScript backbone " + torchScript.file() + " is not a file");
        }
        try {
            model.load(torchScript.file(), null, Map.of("trainParam", "true"));
        } catch (IOException | MalformedModelException | RuntimeException e) {
            // libtorch appends its C++ stack trace to the message: keep the first line
            String reason = String.valueOf(e.getMessage()).lines().findFirst().orElse("");
            throw new ClassifierException("cannot load TorchScript backbone " + torchScript.file() + ": " + reason, e);
        }
        return model.getBlock();
    }

    /**
     * A backbone whose parameters a checkpoint will fill: DJL blocks as for {@link #create}, a
     * TorchScript backbone as an empty module that reads itself from the checkpoint.
     */
    static Block forCheckpoint(Backbone backbone, int inputSize, Model model) throws ClassifierException {
        if (backbone instanceof Backbone.TorchScript) {
            return new PtSymbolBlock((PtNDManager) model.getNDManager());
        }
        return create(backbone, inputSize, model);
    }

    /**
     * Overwrites the freshly initialised parameters of {@code trunk} with pretrained ones where the
     * backbone has them: for {@link Backbone.MiniClip}, the trained tower of its source (the
     * mini-CLIP's whole block is loaded into a scratch manager, closed before returning). Other
     * backbones keep their initial weights.
     *
     * @throws ClassifierException if the source cannot be read or its tower differs from the trunk
     */
    static void copyPretrained(Backbone backbone, Block trunk) throws ClassifierException {
        if (!(backbone instanceof Backbone.MiniClip miniClip)) {
            return;
        }
        ClipModelDescriptor descriptor = miniClip.descriptor();
        MiniClipArchitecture architecture = descriptor.architecture();
        if (!architecture.imageWidths().equals(miniClip.widths())
                || architecture.convsPerStage() != miniClip.convsPerStage()) {
            throw new ClassifierException("mini-CLIP source " + miniClip.source() + " has image widths "
                    + architecture.imageWidths() + " x" + architecture.convsPerStage() + ", the backbone "
                    + miniClip.widths() + " x" + miniClip.convsPerStage());
        }
        MiniClipBlock clip = new MiniClipBlock(architecture, descriptor.embeddingDim(), descriptor.padTokenId());
        try (NDManager scratch = NDManager.newBaseManager(DjlRuntime.PYTORCH);
                InputStream in = miniClip.openParameters(descriptor)) {
            clip.loadParameters(scratch, new DataInputStream(new BufferedInputStream(in)));
            List<Parameter> source = clip.imageEncoder().getParameters().values();
            List<Parameter> target = trunk.getParameters().values();
            if (source.size() < target.size()) {
                throw new ClassifierException("mini-CLIP source " + miniClip.source() + " has " + source.size()
                        + " image-encoder parameters, the tower needs " + target.size());
            }
            for (int i = 0; i < target.size(); i++) {
                NDArray from = source.get(i).getArray();
                NDArray to = target.get(i).getArray();
                if (!from.getShape().equals(to.getShape())) {
                    throw new ClassifierException(
                            "mini-CLIP parameter " + source.get(i).getName() + " has shape " + from.getShape()
                                    + ", the tower's " + target.get(i).getName() + " " + to.getShape());
                }
                to.set(from.toFloatArray());
            }
        } catch (IOException | MalformedModelException | RuntimeException e) {
            throw new ClassifierException(
                    "cannot load the mini-CLIP weights of " + miniClip.source() + ": " + e.getMessage(), e);
        }
    }

    static Block smallCnn(List<Integer> widths) {
        SequentialBlock cnn = new SequentialBlock();
        for (int width : widths) {
            cnn.add(Conv2d.builder()
                            .setKernelShape(new Shape(3, 3))
                            .setFilters(width)
                            .optStride(new Shape(2, 2))
                            .optPadding(new Shape(1, 1))
                            .optBias(false)
                            .build())
                    .add(BatchNorm.builder().build())
                    .add(Activation.reluBlock());
        }
        return cnn;
    }

    static Block resNet(int layers, int inputSize) {
        Block full = ResNetV1.builder()
                .setImageShape(new Shape(3, inputSize, inputSize))
                .setNumLayers(layers)
                .setOutSize(1)
                .build();
        List<Block> children = new ArrayList<>();
        full.getChildren().values().forEach(children::add);
        int keep = children.size() - RESNET_TAIL_BLOCKS;
        if (keep < 1 || children.subList(keep, children.size()).stream().noneMatch(Linear.class::isInstance)) {
            throw new IllegalStateException("unexpected DJL ResNetV1 layout, cannot find its pooling/classifier tail");
        }
        SequentialBlock trunk = new SequentialBlock();
        children.subList(0, keep).forEach(trunk::add);
        return trunk;
    }
}
