package io.lfvit.model.nn;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;

/**
 * Bilinear resize with align_corners=True (the official LF-ViT downsample), done as out = A X A^T
 * with a constant interpolation matrix, because DJL's engine interpolation ignores alignCorners.
 */
public final class Resize {
    private Resize() {}

    /** [out,in] matrix: row i interpolates at source position i*(in-1)/(out-1). */
    public static float[] alignCornersMatrix(int in, int out) {
        float[] a = new float[out * in];
        for (int i = 0; i < out; i++) {
            double src = out == 1 ? 0 : (double) i * (in - 1) / (out - 1);
            int lo = (int) Math.floor(src);
            int hi = Math.min(lo + 1, in - 1);
            double frac = src - lo;
            a[i * in + lo] += (float) (1 - frac);
            a[i * in + hi] += (float) frac;
        }
        return a;
    }

    /** Square images [B,C,S,S] to [B,C,out,out]. */
    public static NDArray bilinearAlignCorners(NDArray images, int out) {
        int in = (int) images.getShape().get(2);
        NDManager manager = images.getManager();
        NDArray a = manager.create(alignCornersMatrix(in, out), new ai.djl.ndarray.types.Shape(out, in));
        return a.matMul(images).matMul(a.transpose());
    }
}
