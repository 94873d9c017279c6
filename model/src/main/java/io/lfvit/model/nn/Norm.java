package io.lfvit.model.nn;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Parameter;
import ai.djl.nn.norm.LayerNorm;

/** LayerNorm over the last axis, eps 1e-6 as in DeiT. */
public final class Norm extends ModuleBlock {
    private static final float EPS = 1e-6f;
    private final Parameter gamma;
    private final Parameter beta;
    private final Shape shape;

    public Norm(long width) {
        shape = new Shape(width);
        gamma = param("gamma", Parameter.Type.GAMMA, shape, Inits.ONE);
        beta = param("beta", Parameter.Type.BETA, shape, Inits.ZERO);
    }

    public NDArray apply(NDArray x) {
        return LayerNorm.layerNorm(x, shape, gamma.getArray(), beta.getArray(), EPS).get(0);
    }
}
