package io.lfvit.model.nn;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.Shape;

/**
 * Multiplication by a constant that is safe under autograd.
 *
 * <p>DJL 0.35's {@code NDArray.mul(Number)} on PyTorch wraps the number in a tensor over a Java
 * direct buffer and closes that tensor as soon as the product is computed. Autograd keeps the
 * operand for the backward pass, and once the garbage collector has freed the buffer the backward
 * reads freed memory: gradients turn into garbage, Inf or NaN, depending on when the collector ran.
 * A scalar made by {@code full} lives in memory that PyTorch owns and reference-counts, so closing
 * its Java handle here does not free what the backward still needs.
 */
public final class Scale {
    private Scale() {}

    /** {@code x * factor}, with the factor in PyTorch-owned memory. */
    public static NDArray times(NDArray x, float factor) {
        try (NDArray scalar = x.getManager().full(new Shape(), factor, x.getDataType())) {
            return x.mul(scalar);
        }
    }
}
