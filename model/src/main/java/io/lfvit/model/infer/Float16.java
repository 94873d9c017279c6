package io.lfvit.model.infer;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/** float32 tensors to compact float16 little-endian bytes and back (the cached-token wire form). */
public final class Float16 {
    private Float16() {}

    public static byte[] encode(NDArray values) {
        return values.toType(DataType.FLOAT16, false).toByteArray();
    }

    public static NDArray decode(NDManager manager, byte[] bytes, Shape shape) {
        long expected = shape.size() * 2;
        if (bytes.length != expected) {
            throw new IllegalArgumentException("float16 payload has " + bytes.length + " bytes, shape " + shape
                    + " needs " + expected);
        }
        ByteBuffer buffer = ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN);
        return manager.create(buffer, shape, DataType.FLOAT16).toType(DataType.FLOAT32, false);
    }
}
