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

    /**
     * Sets PyTorch's intra-op thread count for the whole process (all cores by default). Processes
     * that share a machine's cores (a localizer and a focus worker on one host) each take their share:
     * OpenMP threads that outnumber the free cores spin against each other.
     */
    public static void setThreads(int threads) {
        Engine.getEngine("PyTorch");
        JniUtils.setNumThreads(threads);
    }

    /** PyTorch's intra-op thread count in force. */
    public static int threads() {
        Engine.getEngine("PyTorch");
        return JniUtils.getNumThreads();
    }
}
