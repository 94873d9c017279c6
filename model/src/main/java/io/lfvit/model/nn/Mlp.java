package io.lfvit.model.nn;

import ai.djl.ndarray.NDArray;
import ai.djl.nn.Activation;

/** Token-wise MLP: width to hidden, GELU, back to width. */
public final class Mlp extends ModuleBlock {
    private final Dense fc1;
    private final Dense fc2;

    public Mlp(long width, long hidden) {
        fc1 = addChildBlock("fc1", new Dense(width, hidden));
        fc2 = addChildBlock("fc2", new Dense(hidden, width));
    }

    public NDArray apply(NDArray x) {
        return fc2.apply(Activation.gelu(fc1.apply(x)));
    }

    public long width() {
        return fc1.in();
    }

    public long hidden() {
        return fc1.out();
    }
}
