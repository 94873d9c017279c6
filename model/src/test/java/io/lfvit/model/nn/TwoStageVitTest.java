package io.lfvit.model.nn;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import io.lfvit.model.ModelConfig;
import io.lfvit.model.ModelFamily;
import io.lfvit.model.TestConfigs;
import org.junit.jupiter.api.Test;

class TwoStageVitTest {
    private final ModelConfig config = TestConfigs.tiny(ModelFamily.LFVIT);

    @Test
    void aNewNetworksReuseVectorsAreZeroSoFusionStartsAsIdentity() {
        try (NDManager manager = NDManager.newBaseManager()) {
            TwoStageVit network = new TwoStageVit(config);
            network.initialize(manager);
            NDArray full = manager.randomUniform(-1, 1, new Shape(2, 1, 112, 112));
            TwoStageVit.Localization loc = network.localize(full);
            NDArray cells = manager.create(new long[] {0, 8, 48, 3, 9, 24}, new Shape(2, 3));
            NDArray reuse = network.reuseVectors(loc, cells);
            assertEquals(new Shape(2, 3, config.width()), reuse.getShape());
            assertArrayEquals(new float[2 * 3 * config.width()], reuse.toFloatArray(), 0f);
            assertTrue(loc.features().abs().max().getFloat() > 0.1f, "the localization features themselves are not zero");
        }
    }
}
