package io.lfvit.model.nn;

import ai.djl.engine.Engine;
import ai.djl.pytorch.jni.JniUtils;

/** PyTorch-engine settings that are per thread. */
public final class Torch {
    private Torch() {}

    /**
     * Turns autograd off for the calling thread. PyTorch's grad mode is thread-local and on by
     * default, so every inference or optimizer thread must call this before its first op.
     */
    public static void disableGradients() {
        Engine.getEngine("PyTorch"); // loads the native library before the JNI call
        JniUtils.setGradMode(false);
    }
}
