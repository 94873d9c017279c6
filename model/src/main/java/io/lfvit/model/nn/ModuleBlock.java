package io.lfvit.model.nn;

import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.nn.Block;
import ai.djl.nn.Parameter;
import ai.djl.training.ParameterStore;
import ai.djl.training.initializer.Initializer;
import ai.djl.util.PairList;

/**
 * Base of our DJL blocks. Every shape is fixed by the model config at construction, so blocks are
 * initialized without shape inference and are called through typed methods (which name the
 * tensors they return) rather than through {@link Block#forward}. DJL still owns the parameters,
 * their names and their (de)serialisation.
 */
public abstract class ModuleBlock extends AbstractBlock {

    protected ModuleBlock() {
        super((byte) 1);
    }

    protected Parameter param(String name, Parameter.Type type, Shape shape, Initializer init) {
        return addParameter(
                Parameter.builder()
                        .setName(name)
                        .setType(type)
                        .optShape(shape)
                        .optInitializer(init)
                        .build());
    }

    /** Creates all parameter arrays in {@code manager}. */
    public void initialize(NDManager manager) {
        initialize(manager, DataType.FLOAT32, new Shape(1));
    }

    @Override
    protected void initializeChildBlocks(NDManager manager, DataType dataType, Shape... shapes) {
        for (Block child : getChildren().values()) {
            child.initialize(manager, dataType, shapes);
        }
    }

    @Override
    public Shape[] getOutputShapes(Shape[] inputShapes) {
        throw new UnsupportedOperationException(getClass().getSimpleName() + " has typed methods");
    }

    @Override
    protected NDList forwardInternal(
            ParameterStore store, NDList inputs, boolean training, PairList<String, Object> params) {
        throw new UnsupportedOperationException(getClass().getSimpleName() + " has typed methods");
    }
}
