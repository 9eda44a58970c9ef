package io.ccdstream.models.clip;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.nn.Activation;
import ai.djl.nn.Block;
import ai.djl.nn.Blocks;
import ai.djl.nn.Parameter;
import ai.djl.nn.SequentialBlock;
import ai.djl.nn.convolutional.Conv2d;
import ai.djl.nn.core.Linear;
import ai.djl.nn.norm.BatchNorm;
import ai.djl.nn.pooling.Pool;
import ai.djl.training.ParameterStore;
import ai.djl.training.initializer.ConstantInitializer;
import ai.djl.training.initializer.Initializer;
import ai.djl.util.PairList;
import io.ccdstream.models.djl.DjlRuntime;
import java.util.List;
import java.util.Objects;

/**
 * The small CLIP-style dual encoder of the {@code djl-mini-clip} format, as a DJL block.
 *
 * <ul>
 *   <li>Image encoder: per stage of {@link MiniClipArchitecture#imageWidths()}, a 3x3 convolution
 *       with stride 2 and, with two convolutions per stage, one with stride 1, each followed by
 *       batch normalisation and ReLU; then global average pooling and a linear projection to the
 *       embedding dimension.
 *   <li>Text encoder: the bag of the prompt's tokens (the mean one-hot vector over the non-padding
 *       positions), then linear, ReLU, linear, ReLU, linear to the embedding dimension. Word order
 *       is ignored, which suffices for short prompts that name one object.
 *   <li>A learned temperature, stored as {@code ln(logitScale)}, for contrastive training.
 * </ul>
 *
 * <p>Inputs select what is computed, so that the same translators serve this block and a
 * TorchScript CLIP module:
 *
 * <ul>
 *   <li>{@code [images float32[N,3,S,S], selector "encode_image"]} gives {@code [features [N,D]]};
 *   <li>{@code [tokens int64[N,L], selector "encode_text"]} gives {@code [features [N,D]]};
 *   <li>{@code [images, tokens]} (training) gives {@code [image [N,D], text [N,D], logitScale
 *       [1]]}, both embeddings L2-normalised and the scale clipped to at most 100 as in CLIP.
 * </ul>
 *
 * The selector is the marker array the CLIP translators append (its name selects the method).
 */
public final class MiniClipBlock extends AbstractBlock {

    /** CLIP's initial temperature 0.07, as a logit scale. */
    public static final float INITIAL_LOGIT_SCALE = 1 / 0.07f;
    /** CLIP clips the learned logit scale at 100. */
    public static final float MAX_LOGIT_SCALE = 100f;

    private static final byte VERSION = 1;

    private final MiniClipArchitecture architecture;
    private final int embeddingDim;
    private final long padTokenId;
    private final Block imageEncoder;
    private final Block textEncoder;
    private final Parameter logLogitScale;

    /**
     * @param architecture the encoders' shape
     * @param embeddingDim D, the dimension of both embeddings
     * @param padTokenId the token id of padding positions, left out of the bag of tokens
     * @throws IllegalArgumentException if the architecture is invalid for a 32 px input or D < 1
     */
    public MiniClipBlock(MiniClipArchitecture architecture, int embeddingDim, long padTokenId) {
        super(VERSION);
        this.architecture = Objects.requireNonNull(architecture, "architecture");
        if (embeddingDim < 1 || !architecture.problems(Integer.MAX_VALUE).isEmpty()) {
            throw new IllegalArgumentException("invalid mini-CLIP architecture " + architecture + " / embeddingDim "
                    + embeddingDim + ": " + architecture.problems(Integer.MAX_VALUE));
        }
        this.embeddingDim = embeddingDim;
        this.padTokenId = padTokenId;
        this.imageEncoder = addChildBlock("image", imageEncoder(architecture, embeddingDim));
        this.textEncoder = addChildBlock("text", textEncoder(architecture, embeddingDim));
        this.logLogitScale = addParameter(Parameter.builder()
                .setName("logLogitScale")
                .setType(Parameter.Type.OTHER)
                .optShape(new Shape(1))
                .optInitializer(new ConstantInitializer((float) Math.log(INITIAL_LOGIT_SCALE)))
                .build());
    }

    private static Block imageEncoder(MiniClipArchitecture architecture, int embeddingDim) {
        SequentialBlock encoder = convolutionalTower(architecture.imageWidths(), architecture.convsPerStage());
        encoder.add(Pool.globalAvgPool2dBlock());
        encoder.add(Blocks.batchFlattenBlock());
        encoder.add(Linear.builder().setUnits(embeddingDim).build());
        return encoder;
    }

    /**
     * The image encoder's convolutional tower, before its pooling and projection: per stage, a 3x3
     * convolution with stride 2 and, with two convolutions per stage, one with stride 1, each
     * followed by batch normalisation and ReLU. Its parameters come first among the image
     * encoder's, in the same order, so that trained values can be copied into a tower built here.
     *
     * @param widths output channels of each stage
     * @param convsPerStage 1 or 2
     * @return a new, uninitialised tower mapping {@code [N, 3, S, S]} to {@code [N, last width, S /
     *     2^stages, S / 2^stages]}
     */
    public static SequentialBlock convolutionalTower(List<Integer> widths, int convsPerStage) {
        SequentialBlock tower = new SequentialBlock();
        for (int width : widths) {
            tower.add(convolution(width, 2));
            tower.add(BatchNorm.builder().build());
            tower.add(Activation.reluBlock());
            if (convsPerStage == 2) {
                tower.add(convolution(width, 1));
                tower.add(BatchNorm.builder().build());
                tower.add(Activation.reluBlock());
            }
        }
        return tower;
    }

    /** @return the image encoder (tower, pooling, projection), whose parameters come first */
    public Block imageEncoder() {
        return imageEncoder;
    }

    private static Block convolution(int filters, int stride) {
        return Conv2d.builder()
                .setKernelShape(new Shape(3, 3))
                .optStride(new Shape(stride, stride))
                .optPadding(new Shape(1, 1))
                .setFilters(filters)
                .optBias(false)
                .build();
    }

    private static Block textEncoder(MiniClipArchitecture architecture, int embeddingDim) {
        return new SequentialBlock()
                .add(Linear.builder().setUnits(architecture.textWidth()).build())
                .add(Activation.reluBlock())
                .add(Linear.builder().setUnits(architecture.textWidth()).build())
                .add(Activation.reluBlock())
                .add(Linear.builder().setUnits(embeddingDim).build());
    }

    /**
     * @return the learned logit scale {@code exp(logLogitScale)}, clipped to at most {@value
     *     #MAX_LOGIT_SCALE}
     * @throws IllegalStateException before the block is initialised or loaded
     */
    public float logitScale() {
        if (!logLogitScale.isInitialized()) {
            throw new IllegalStateException("mini-CLIP parameters are not initialised");
        }
        return (float)
                Math.min(MAX_LOGIT_SCALE, Math.exp(logLogitScale.getArray().toFloatArray()[0]));
    }

    /**
     * Checks that the parameters (typically just loaded from a file, which fixes their shapes
     * whatever the block was built with) have the shapes this architecture gives them, so that a
     * descriptor that disagrees with its parameter file fails at load time.
     *
     * @param imageSize the input side
     * @param contextLength the token sequence length
     * @throws IllegalStateException naming the first parameter whose shape differs
     */
    void checkParameterShapes(int imageSize, int contextLength) {
        MiniClipBlock reference = new MiniClipBlock(architecture, embeddingDim, padTokenId);
        // zeros: no draw from the engine's random generator
        reference.setInitializer(Initializer.ZEROS, parameter -> true);
        try (NDManager scratch = NDManager.newBaseManager(DjlRuntime.PYTORCH)) {
            reference.initialize(
                    scratch, DataType.FLOAT32, new Shape(1, 3, imageSize, imageSize), new Shape(1, contextLength));
            PairList<String, Parameter> expected = reference.getParameters();
            PairList<String, Parameter> actual = getParameters();
            if (expected.size() != actual.size()) {
                throw new IllegalStateException(
                        "the architecture has " + expected.size() + " parameters, the file " + actual.size());
            }
            for (int i = 0; i < expected.size(); i++) {
                Shape want = expected.get(i).getValue().getArray().getShape();
                Shape got = actual.get(i).getValue().getArray().getShape();
                if (!want.equals(got)) {
                    throw new IllegalStateException("parameter " + actual.get(i).getKey() + " has shape " + got
                            + ", the architecture gives it " + want);
                }
            }
        }
    }

    /** @return the architecture this block was built with */
    public MiniClipArchitecture architecture() {
        return architecture;
    }

    @Override
    protected NDList forwardInternal(
            ParameterStore parameterStore, NDList inputs, boolean training, PairList<String, Object> params) {
        String method = TorchScriptOutputs.selectedMethod(inputs);
        if (ImageTranslator.METHOD.equals(method)) {
            return imageEncoder.forward(parameterStore, new NDList(inputs.get(0)), training, params);
        }
        if (TextTranslator.METHOD.equals(method)) {
            return new NDList(encodeText(parameterStore, inputs.get(0), training, params));
        }
        if (method != null || inputs.size() != 2) {
            throw new IllegalArgumentException("mini-CLIP expects [images, selector], [tokens, selector] or"
                    + " [images, tokens], got " + inputs.size() + " inputs selecting " + method);
        }
        NDArray images = imageEncoder
                .forward(parameterStore, new NDList(inputs.get(0)), training, params)
                .head();
        NDArray texts = encodeText(parameterStore, inputs.get(1), training, params);
        // start from an array of the batch's manager: results of an op live in its receiver's manager,
        // and the model's manager must not collect one scale per step
        NDArray scale = images.getManager()
                .zeros(new Shape(1))
                .add(parameterStore.getValue(logLogitScale, images.getDevice(), training))
                .exp()
                .clip(0f, MAX_LOGIT_SCALE);
        return new NDList(l2Normalised(images), l2Normalised(texts), scale);
    }

    private NDArray encodeText(
            ParameterStore parameterStore, NDArray tokens, boolean training, PairList<String, Object> params) {
        NDArray kept = tokens.neq(padTokenId).toType(DataType.FLOAT32, false);
        NDArray oneHot = tokens.oneHot(architecture.vocabularySize());
        NDArray bag = oneHot.mul(kept.expandDims(2)).sum(new int[] {1});
        NDArray count = kept.sum(new int[] {1}, true).maximum(1f);
        return textEncoder
                .forward(parameterStore, new NDList(bag.div(count)), training, params)
                .head();
    }

    private static NDArray l2Normalised(NDArray x) {
        return x.div(x.square().sum(new int[] {1}, true).add(1e-12f).sqrt());
    }

    @Override
    public Shape[] getOutputShapes(Shape[] inputShapes) {
        long n = inputShapes[0].get(0);
        Shape features = imageEncoder.getOutputShapes(new Shape[] {inputShapes[0]})[0];
        return new Shape[] {new Shape(n, features.get(1)), new Shape(n, features.get(1)), new Shape(1)};
    }

    @Override
    protected void initializeChildBlocks(NDManager manager, DataType dataType, Shape... inputShapes) {
        if (inputShapes.length != 2) {
            throw new IllegalArgumentException(
                    "initialise mini-CLIP with the shapes of [images, tokens], got " + inputShapes.length + " shapes");
        }
        imageEncoder.initialize(manager, dataType, inputShapes[0]);
        textEncoder.initialize(manager, dataType, new Shape(inputShapes[1].get(0), architecture.vocabularySize()));
    }
}
