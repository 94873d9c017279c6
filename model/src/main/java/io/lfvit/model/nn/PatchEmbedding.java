package io.lfvit.model.nn;

import ai.djl.ndarray.NDArray;

/**
 * Patch embedding shared by every resolution: a p x p, stride p convolution written as a dense
 * layer on flattened patches, which lets the focus stage embed only the patches it selected.
 */
public final class PatchEmbedding extends ModuleBlock {
    private final Dense projection;
    private final int patch;
    private final int channels;

    public PatchEmbedding(int channels, int patch, long width) {
        this.channels = channels;
        this.patch = patch;
        projection = addChildBlock("proj", new Dense((long) channels * patch * patch, width));
    }

    /** Flattened patches [B,N,C*p*p] to token embeddings [B,N,D]. */
    public NDArray embed(NDArray patches) {
        return projection.apply(patches);
    }

    /** Images [B,C,H,W] to row-major patches [B,(H/p)*(W/p),C*p*p] (C, then rows, then columns). */
    public NDArray patchify(NDArray images) {
        return patchify(images, patch);
    }

    public static NDArray patchify(NDArray images, int patch) {
        long b = images.getShape().get(0);
        long c = images.getShape().get(1);
        long gh = images.getShape().get(2) / patch;
        long gw = images.getShape().get(3) / patch;
        return images.reshape(b, c, gh, patch, gw, patch)
                .transpose(0, 2, 4, 1, 3, 5)
                .reshape(b, gh * gw, c * patch * patch);
    }

    public int patch() {
        return patch;
    }

    public int channels() {
        return channels;
    }
}
