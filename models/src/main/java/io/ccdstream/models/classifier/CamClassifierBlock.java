package io.ccdstream.models.classifier;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.nn.Block;
import ai.djl.nn.Parameter;
import ai.djl.nn.convolutional.Conv2d;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;
import java.util.List;

/**
 * Backbone, then a per-class 1x1 convolution whose output is the class activation map, then
 * global average pooling. The forward pass returns {@code [logits [N, C], cam [N, C, h, w]]}:
 * the CAM is read before pooling and the logits are its spatial mean (ALGORITHM.md section 3).
 */
final class CamClassifierBlock extends AbstractBlock {

    private static final byte VERSION = 1;

    private final Block backbone;
    private final Block head;

    CamClassifierBlock(Block backbone, int numClasses) {
        super(VERSION);
        this.backbone = addChildBlock("backbone", backbone);
        this.head = addChildBlock(
                "head",
                Conv2d.builder()
                        .setKernelShape(new Shape(1, 1))
                        .setFilters(numClasses)
                        .optBias(true)
                        .build());
    }

    /** @return the parameters of the 1x1 head (trained with the larger learning rate) */
    List<Parameter> headParameters() {
        return head.getParameters().values();
    }

    /**
     * Freezes the backbone's weights (no gradient, so the optimiser leaves them), or makes them
     * trainable again; batch-norm running statistics are never trainable parameters.
     */
    void freezeBackbone(boolean frozen) {
        if (frozen) {
            backbone.freezeParameters(true);
        } else {
            backbone.freezeParameters(
                    false,
                    p -> p.getType() != Parameter.Type.RUNNING_MEAN && p.getType() != Parameter.Type.RUNNING_VAR);
        }
    }

    @Override
    protected NDList forwardInternal(
            ParameterStore parameterStore, NDList inputs, boolean training, PairList<String, Object> params) {
        NDList features = backbone.forward(parameterStore, inputs, training, params);
        NDArray cam = head.forward(parameterStore, features, training, params).singletonOrThrow();
        return new NDList(spatialMean(cam), cam);
    }

    /** Global average pooling: {@code [N, C, h, w] -> [N, C]} (one axis at a time for PyTorch). */
    static NDArray spatialMean(NDArray cam) {
        Shape shape = cam.getShape();
        return cam.reshape(shape.get(0), shape.get(1), -1).mean(new int[] {2});
    }

    @Override
    public Shape[] getOutputShapes(Shape[] inputShapes) {
        Shape cam = head.getOutputShapes(backbone.getOutputShapes(inputShapes))[0];
        return new Shape[] {new Shape(cam.get(0), cam.get(1)), cam};
    }

    @Override
    protected void initializeChildBlocks(NDManager manager, DataType dataType, Shape... inputShapes) {
        backbone.initialize(manager, dataType, inputShapes);
        head.initialize(manager, dataType, backbone.getOutputShapes(inputShapes));
    }
}
