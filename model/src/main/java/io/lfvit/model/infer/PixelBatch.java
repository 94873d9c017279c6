package io.lfvit.model.infer;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import io.lfvit.model.ModelConfig;
import java.util.List;

/** Raw uint8 images to the float [B,C,S,S] batch the networks take (values kept in 0..255). */
final class PixelBatch {
    private PixelBatch() {}

    /** The images, uint8 [C,S,S] each, as one float batch, staged through {@code staging}. */
    static NDArray of(NDManager manager, HostStaging staging, List<byte[]> images, ModelConfig config) {
        int per = config.channels() * config.imageSize() * config.imageSize();
        for (int i = 0; i < images.size(); i++) {
            int length = images.get(i).length;
            if (length != per) {
                throw new IllegalArgumentException("image " + i + " has " + length + " bytes; the model takes "
                        + config.channels() + "x" + config.imageSize() + "x" + config.imageSize() + " = " + per);
            }
        }
        Shape shape = new Shape(images.size(), config.channels(), config.imageSize(), config.imageSize());
        return staging.upload(manager, shape, DataType.UINT8, DataType.FLOAT32, buffer -> images.forEach(buffer::put));
    }

    static float[][] rows(NDArray matrix) {
        int b = (int) matrix.getShape().get(0);
        int n = (int) matrix.getShape().get(1);
        float[] flat = matrix.toFloatArray();
        float[][] rows = new float[b][n];
        for (int i = 0; i < b; i++) {
            System.arraycopy(flat, i * n, rows[i], 0, n);
        }
        return rows;
    }
}
