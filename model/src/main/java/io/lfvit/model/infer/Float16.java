package io.lfvit.model.infer;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.DataType;

/**
 * float32 tensors to compact float16 little-endian bytes (the cached-token wire form); the focus stage
 * stages them back through {@link HostStaging}.
 */
public final class Float16 {
    private Float16() {}

    public static byte[] encode(NDArray values) {
        return values.toType(DataType.FLOAT16, false).toByteArray();
    }
}
