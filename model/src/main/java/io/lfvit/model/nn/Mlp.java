package io.lfvit.model.nn;

import ai.djl.ndarray.NDArray;
import ai.djl.nn.Activation;

/** Token-wise MLP: width to hidden, GELU, back to width. */
public final class Mlp extends ModuleBlock {
    private final Dense fc1;
    private final Dense fc2;

    public Mlp(long width, long hidden) {
        this(width, hidden, false);
    }

    private Mlp(long width, long hidden, boolean zeroOutput) {
        fc1 = addChildBlock("fc1", new Dense(width, hidden));
        fc2 = addChildBlock("fc2", new Dense(hidden, width, zeroOutput ? Inits.ZERO : Inits.WEIGHT));
    }

    /** An MLP whose output projection starts at zero: it adds nothing until training makes it useful. */
    public static Mlp zeroOutput(long width, long hidden) {
        return new Mlp(width, hidden, true);
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
