package io.lfvit.model.nn;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import org.junit.jupiter.api.Test;

class ResizeTest {

    @Test
    void matrixSamplesAtAlignedCornerPositions() {
        // 4 -> 3: sources 0, 1.5, 3
        float[] a = Resize.alignCornersMatrix(4, 3);
        assertArrayEquals(new float[] {1, 0, 0, 0, 0, 0.5f, 0.5f, 0, 0, 0, 0, 1}, a, 1e-6f);
    }

    @Test
    void resizeMatchesTheBilinearFormulaOnARamp() {
        try (NDManager manager = NDManager.newBaseManager()) {
            // f(y,x) = 10y + x is reproduced exactly by bilinear interpolation
            float[] ramp = new float[112 * 112];
            for (int y = 0; y < 112; y++) {
                for (int x = 0; x < 112; x++) {
                    ramp[y * 112 + x] = 10 * y + x;
                }
            }
            NDArray out = Resize.bilinearAlignCorners(manager.create(ramp, new Shape(1, 1, 112, 112)), 56);
            assertEquals(new Shape(1, 1, 56, 56), out.getShape());
            float[] values = out.toFloatArray();
            for (int i : new int[] {0, 7, 30, 55}) {
                for (int j : new int[] {0, 13, 55}) {
                    double src = 111.0 / 55.0;
                    assertEquals(10 * i * src + j * src, values[i * 56 + j], 1e-3);
                }
            }
        }
    }

    /** The batch is resized as one pair of matrix products: each image and channel must still get its own A X A^T. */
    @Test
    void everyImageAndChannelOfABatchIsResizedOnItsOwn() {
        int side = 12;
        int out = 5;
        try (NDManager manager = NDManager.newBaseManager()) {
            NDArray images = manager.randomUniform(0, 255, new Shape(3, 2, side, side)); // distinct planes
            NDArray a = Resize.matrix(manager, side, out);
            float[] batched = Resize.bilinearAlignCorners(images, a).toFloatArray();
            assertEquals(3 * 2 * out * out, batched.length);
            for (int b = 0; b < 3; b++) {
                for (int c = 0; c < 2; c++) {
                    NDArray plane = images.get(b).get(c); // [S,S]
                    float[] alone = a.matMul(plane).matMul(a.transpose()).toFloatArray(); // A X A^T
                    float[] fromBatch = java.util.Arrays.copyOfRange(batched, (b * 2 + c) * out * out,
                            (b * 2 + c + 1) * out * out);
                    assertArrayEquals(alone, fromBatch, 1e-3f, "image " + b + ", channel " + c);
                }
            }
        }
    }
}
