package io.lfvit.model.infer;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import io.lfvit.model.ModelConfig;
import java.util.List;

/** Raw uint8 images to the float [B,C,S,S] batch the networks take (values kept in 0..255). */
final class PixelBatch {
    private PixelBatch() {}

    static NDArray of(NDManager manager, List<byte[]> images, ModelConfig config) {
        int per = config.channels() * config.imageSize() * config.imageSize();
        float[] values = new float[images.size() * per];
        for (int i = 0; i < images.size(); i++) {
            byte[] image = images.get(i);
            if (image.length != per) {
                throw new IllegalArgumentException("image " + i + " has " + image.length + " bytes; the model takes "
                        + config.channels() + "x" + config.imageSize() + "x" + config.imageSize() + " = " + per);
            }
            for (int j = 0; j < per; j++) {
                values[i * per + j] = image[j] & 0xff;
            }
        }
        return manager.create(values, new Shape(images.size(), config.channels(), config.imageSize(), config.imageSize()));
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
