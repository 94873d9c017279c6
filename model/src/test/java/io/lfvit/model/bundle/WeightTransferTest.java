package io.lfvit.model.bundle;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.Shape;
import io.lfvit.model.ModelConfig;
import io.lfvit.model.ModelFamily;
import io.lfvit.model.TestConfigs;
import io.lfvit.model.TestNetworks;
import io.lfvit.model.nn.PlainVit;
import io.lfvit.model.nn.TwoStageVit;
import io.lfvit.model.select.RegionBatch;
import io.lfvit.model.select.RegionPolicy;
import io.lfvit.model.select.Regions;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class WeightTransferTest {
    @TempDir
    Path dir;

    private ModelBundle.Loaded savedVit(ModelConfig config, NDManager manager) throws Exception {
        PlainVit vit = TestNetworks.initialized(new PlainVit(config), manager);
        ModelBundle.save(dir, config, vit, "test", Map.of());
        return ModelBundle.load(dir, manager);
    }

    @Test
    void aVitCopiedIntoLfvitAnswersLikeTheVitWhenTheFocusStageSeesTheWholeImage() throws Exception {
        try (NDManager manager = NDManager.newBaseManager()) {
            ModelBundle.Loaded vit = savedVit(TestConfigs.tiny(ModelFamily.VIT), manager);
            ModelConfig lfvitConfig = TestConfigs.tiny(ModelFamily.LFVIT);
            TwoStageVit lfvit = new TwoStageVit(lfvitConfig);
            lfvit.initialize(manager); // the reuse MLP's output starts at zero: fusion adds nothing yet

            WeightTransfer.Report report = WeightTransfer.copy(vit, lfvit, lfvitConfig);

            assertEquals(List.of("pos_loc"), report.derived());
            assertTrue(report.fresh().stream().allMatch(name -> name.contains("reuse")), report.summary());
            assertEquals(vit.network().getParameters().size(), report.copied().size(), "every ViT parameter is used");
            NDArray images = manager.randomNormal(new Shape(3, 1, 112, 112));
            TwoStageVit.Localization loc = lfvit.localize(images);
            RegionBatch whole = RegionBatch.of(manager,
                    Regions.select(RegionPolicy.wholeImage(lfvitConfig.locGrid()), loc.gca(), new Random(1)),
                    lfvitConfig.locGrid());
            NDArray focus = lfvit.focus(lfvit.focusInput(loc, images, whole.splitCells(), whole.coarseCells(),
                    whole.fineIds()));
            assertArrayEquals(((PlainVit) vit.network()).forward(images).toFloatArray(), focus.toFloatArray(), 1e-4f,
                    "the same weights on the same 196 tokens (in another order) give the same logits");
        }
    }

    @Test
    void eachLocalizationPositionIsTheMeanOfItsFourFullResolutionPatches() {
        try (NDManager manager = NDManager.newBaseManager()) {
            int g = 7;
            NDArray full = manager.randomNormal(new Shape(1, 1 + 4L * g * g, 5));
            NDArray pooled = WeightTransfer.poolPositions(full, g);
            assertEquals(new Shape(1, 1 + g * g, 5), pooled.getShape());
            assertArrayEquals(full.get(new NDIndex("0, 0")).toFloatArray(), pooled.get(new NDIndex("0, 0")).toFloatArray());
            int row = 3;
            int col = 5; // cell (3, 5) covers patches (6..7, 10..11) of the 14 x 14 grid
            float[] expected = new float[5];
            for (int r = 2 * row; r < 2 * row + 2; r++) {
                for (int c = 2 * col; c < 2 * col + 2; c++) {
                    float[] patch = full.get(new NDIndex("0, {}", 1 + r * 2 * g + c)).toFloatArray();
                    for (int i = 0; i < 5; i++) {
                        expected[i] += patch[i] / 4;
                    }
                }
            }
            assertArrayEquals(expected, pooled.get(new NDIndex("0, {}", 1 + row * g + col)).toFloatArray(), 1e-6f);
        }
    }

    @Test
    void aBundleWithAnotherBackboneIsRefusedWithTheDifference() throws Exception {
        try (NDManager manager = NDManager.newBaseManager()) {
            ModelBundle.Loaded vit = savedVit(TestConfigs.sized(ModelFamily.VIT, 32, 2, 2), manager);
            ModelConfig wider = TestConfigs.sized(ModelFamily.LFVIT, 48, 2, 2);
            TwoStageVit lfvit = new TwoStageVit(wider);
            lfvit.initialize(manager);
            BundleException e = assertThrows(BundleException.class, () -> WeightTransfer.copy(vit, lfvit, wider));
            assertTrue(e.getMessage().contains("width (32 there, 48 here)"), e.getMessage());
            assertFalse(e.getMessage().contains("depth"), e.getMessage());
        }
    }
}
