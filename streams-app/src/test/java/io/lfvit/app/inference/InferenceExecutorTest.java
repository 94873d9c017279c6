package io.lfvit.app.inference;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.lfvit.app.config.AppConfig;
import io.lfvit.app.support.TestModels;
import io.lfvit.model.ModelFamily;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** model.window: the localizer's NGCA window without editing the bundle. */
class InferenceExecutorTest {

    private static int splitCells(InferenceExecutor model) {
        byte[] image = new byte[112 * 112];
        new Random(1).nextBytes(image);
        return model.localize(List.of(image), new double[] {1.01}).get(0).payload().splitCells().length;
    }

    @Test
    void theWindowSettingReachesTheLocalizer(@TempDir Path dir) throws Exception {
        TestModels.tinyBundle(dir);
        try (InferenceExecutor asSaved = InferenceExecutor.load(dir, "cpu", 0);
                InferenceExecutor atFour = InferenceExecutor.load(dir, "cpu", 4)) {
            assertEquals(22, splitCells(asSaved), "the bundle's m = 5: K = ceil(0.88 * 25)");
            assertEquals(15, splitCells(atFour), "m = 4: K = ceil(0.88 * 16)");
        }
    }

    @Test
    void aWindowOutsideTheGridOrForASingleStageModelIsRefusedWithTheSettingNamed(@TempDir Path tmp) throws Exception {
        Path lfvit = tmp.resolve("lfvit");
        Path vit = tmp.resolve("vit");
        TestModels.tinyBundle(lfvit);
        TestModels.tinyBundle(vit, ModelFamily.VIT, 1.0, "vit");
        IllegalArgumentException tooWide = assertThrows(IllegalArgumentException.class,
                () -> InferenceExecutor.load(lfvit, "cpu", 8));
        assertTrue(tooWide.getMessage().contains("model.window 8") && tooWide.getMessage().contains("1..7"),
                tooWide.getMessage());
        IllegalArgumentException plain = assertThrows(IllegalArgumentException.class,
                () -> InferenceExecutor.load(vit, "cpu", 4));
        assertTrue(plain.getMessage().contains("model.window 4") && plain.getMessage().contains("VIT"),
                plain.getMessage());
    }

    @Test
    void theSettingDefaultsToTheBundlesWindowAndRefusesNegatives() {
        assertEquals(0, AppConfig.defaults().modelWindow());
        assertEquals(4, AppConfig.defaults().withAll(Map.of(AppConfig.MODEL_WINDOW, "4")).modelWindow());
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> AppConfig.defaults().withAll(Map.of(AppConfig.MODEL_WINDOW, "-1")));
        assertTrue(e.getMessage().contains("model.window"), e.getMessage());
    }
}
