package io.lfvit.model.nn;

import static org.junit.jupiter.api.Assertions.assertEquals;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import org.junit.jupiter.api.Test;

class PatchEmbeddingTest {

    @Test
    void patchesAreRowMajorAndChannelMajorInside() {
        try (NDManager manager = NDManager.newBaseManager()) {
            NDArray images = manager.arange(2f * 4 * 4).reshape(1, 2, 4, 4); // B=1, C=2, 4x4, p=2
            NDArray patches = PatchEmbedding.patchify(images, 2);
            assertEquals(new Shape(1, 4, 8), patches.getShape());
            float[] v = patches.toFloatArray();
            // patch 1 = rows 0-1, columns 2-3: channel 0 then channel 1
            float[] expected = {2, 3, 6, 7, 18, 19, 22, 23};
            for (int i = 0; i < 8; i++) {
                assertEquals(expected[i], v[8 + i]);
            }
        }
    }
}
