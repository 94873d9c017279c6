package io.lfvit.model.nn;

import ai.djl.training.initializer.ConstantInitializer;
import ai.djl.training.initializer.Initializer;
import ai.djl.training.initializer.TruncatedNormalInitializer;

/** The ViT/DeiT initialisation: truncated normal 0.02 for weights, tables and CLS; zero biases. */
final class Inits {
    static final Initializer WEIGHT = new TruncatedNormalInitializer(0.02f);
    static final Initializer ZERO = new ConstantInitializer(0f);
    static final Initializer ONE = new ConstantInitializer(1f);

    private Inits() {}
}
