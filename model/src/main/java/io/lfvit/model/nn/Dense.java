package io.lfvit.model.nn;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Parameter;
import ai.djl.nn.core.Linear;
import ai.djl.training.initializer.Initializer;

/** Fully connected layer applied to the last axis: [..., in] to [..., out]. */
public final class Dense extends ModuleBlock {
    private final Parameter weight;
    private final Parameter bias;
    private final long in;
    private final long out;

    public Dense(long in, long out) {
        this(in, out, Inits.WEIGHT);
    }

    Dense(long in, long out, Initializer weightInit) {
        this.in = in;
        this.out = out;
        weight = param("weight", Parameter.Type.WEIGHT, new Shape(out, in), weightInit);
        bias = param("bias", Parameter.Type.BIAS, new Shape(out), Inits.ZERO);
    }

    public NDArray apply(NDArray x) {
        return Linear.linear(x, weight.getArray(), bias.getArray()).singletonOrThrow();
    }

    public long in() {
        return in;
    }

    public long out() {
        return out;
    }

    public NDArray weight() {
        return weight.getArray();
    }
}
