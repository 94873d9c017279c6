package io.lfvit.model.nn;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.DataType;

/** Token-sequence helpers shared by the stages. */
public final class Tokens {
    private Tokens() {}

    /**
     * Per-sample gather of tokens: x [B,N,D] (or [1,N,D], broadcast over the batch) at ids [B,n]
     * (int64) gives [B,n,D]. Differentiable with respect to x.
     */
    public static NDArray gather(NDArray x, NDArray ids) {
        long b = ids.getShape().get(0);
        long d = x.getShape().get(2);
        NDArray source = x.getShape().get(0) == b ? x : x.broadcast(b, x.getShape().get(1), d);
        NDArray index = ids.toType(DataType.INT64, false).expandDims(2).repeat(2, d);
        return source.gather(index, 1);
    }

    /** Prepends one [1,1,D] token (broadcast over the batch) to x [B,N,D]. */
    public static NDArray prepend(NDArray token, NDArray x) {
        long b = x.getShape().get(0);
        NDArray batchToken = token.broadcast(b, 1, x.getShape().get(2));
        return batchToken.concat(x, 1);
    }
}
