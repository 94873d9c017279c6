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

/** model.window: the localizer's NGCA window without editing the bundle; model replicas. */
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

    @Test
    void replicasRunTwoBatchesAtOnceOnTheirOwnThreadsAndAnswerAsOne(@TempDir Path dir) throws Exception {
        TestModels.tinyBundle(dir);
        byte[] image = new byte[112 * 112];
        new Random(3).nextBytes(image);
        try (InferenceExecutor one = InferenceExecutor.load(dir, "cpu", 0, 1, 1);
                InferenceExecutor two = InferenceExecutor.load(dir, "cpu", 0, 1, 2)) {
            assertEquals(1, one.replicas());
            assertEquals(2, two.replicas());
            java.util.concurrent.CyclicBarrier bothRunning = new java.util.concurrent.CyclicBarrier(2);
            java.util.concurrent.ExecutorService callers = java.util.concurrent.Executors.newFixedThreadPool(2);
            try {
                List<java.util.concurrent.Future<String>> calls = new java.util.ArrayList<>();
                for (int i = 0; i < 2; i++) {
                    calls.add(callers.submit(() -> two.run(c -> {
                        try {
                            bothRunning.await(10, java.util.concurrent.TimeUnit.SECONDS); // times out one at a time
                        } catch (Exception e) {
                            throw new IllegalStateException(e);
                        }
                        return Thread.currentThread().getName();
                    })));
                }
                assertEquals(java.util.Set.of("lfvit-inference", "lfvit-inference-1"),
                        java.util.Set.of(calls.get(0).get(), calls.get(1).get()));
            } finally {
                callers.shutdownNow();
            }
            double[] eta = {1.01};
            for (int call = 0; call < 3; call++) { // each replica answers the same as the single model
                org.junit.jupiter.api.Assertions.assertArrayEquals(one.localize(List.of(image), eta).get(0).prediction().probabilities(),
                        two.localize(List.of(image), eta).get(0).prediction().probabilities());
            }
        }
    }

    @Test
    void autoReplicasAreTwoOnACpuAndOneOnAGpu() {
        int cores = Runtime.getRuntime().availableProcessors();
        assertEquals(cores >= 2 ? 2 : 1, InferenceExecutor.replicas(0, ai.djl.Device.cpu()));
        assertEquals(1, InferenceExecutor.replicas(0, ai.djl.Device.gpu()));
        assertEquals(3, InferenceExecutor.replicas(3, ai.djl.Device.cpu()));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> AppConfig.defaults().withAll(Map.of(AppConfig.INFERENCE_REPLICAS, "-1")));
        assertTrue(e.getMessage().contains("inference.replicas"), e.getMessage());
    }
}
