package io.lfvit.model.nn;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;

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

    /** The interpolation matrix A [out,in] as an array of {@code manager} (on its device). */
    public static NDArray matrix(NDManager manager, int in, int out) {
        return manager.create(alignCornersMatrix(in, out), new Shape(out, in));
    }

    /** Square images [B,C,S,S] to [B,C,out,out]. */
    public static NDArray bilinearAlignCorners(NDArray images, int out) {
        int in = (int) images.getShape().get(2);
        return bilinearAlignCorners(images, matrix(images.getManager(), in, out));
    }

    /**
     * Square images [B,C,S,S] to [B,C,out,out] with a matrix from {@link #matrix}. A X A^T is computed as
     * two plain matrix products over the whole batch, (X A^T) and then (X A^T)^T A^T = (A X A^T)^T, rather
     * than as a product broadcast over [B,C]: PyTorch runs the broadcast one as a batched product of
     * expanded copies, which took ~250 us for one 112 x 112 image against ~30 us for the second step.
     */
    public static NDArray bilinearAlignCorners(NDArray images, NDArray matrix) {
        Shape shape = images.getShape();
        long planes = shape.get(0) * shape.get(1);
        long in = shape.get(2);
        long out = matrix.getShape().get(0);
        NDArray transposedMatrix = matrix.transpose();
        NDArray rows = images.reshape(planes * in, in).matMul(transposedMatrix); // X A^T: [planes*in, out]
        NDArray columns = rows.reshape(planes, in, out).transpose(0, 2, 1).reshape(planes * out, in);
        NDArray resizedTransposed = columns.matMul(transposedMatrix).reshape(planes, out, out); // (A X A^T)^T
        return resizedTransposed.transpose(0, 2, 1).reshape(shape.get(0), shape.get(1), out, out);
    }
}
