package io.lfvit.model.bundle;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.Device;
import ai.djl.ndarray.NDManager;
import io.lfvit.model.ModelConfig;
import io.lfvit.model.ModelFamily;
import io.lfvit.model.TestConfigs;
import io.lfvit.model.TestImages;
import io.lfvit.model.TestNetworks;
import io.lfvit.model.infer.ImageClassifier;
import io.lfvit.model.infer.PlainClassifier;
import io.lfvit.model.infer.StagedPrediction;
import io.lfvit.model.infer.TwoStageClassifier;
import io.lfvit.model.nn.ModuleBlock;
import io.lfvit.model.nn.Networks;
import io.lfvit.model.nn.PlainVit;
import io.lfvit.model.nn.TwoStageVit;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

class ModelBundleTest {
    @TempDir
    Path dir;

    @ParameterizedTest
    @EnumSource(value = ModelFamily.class, names = {"LFVIT", "CFVIT", "VIT"})
    void savedAndLoadedModelsGiveIdenticalOutputs(ModelFamily family) throws Exception {
        ModelConfig config = TestConfigs.tiny(family);
        List<byte[]> images = TestImages.random(4, config, 11);
        try (NDManager manager = NDManager.newBaseManager()) {
            ModuleBlock network = Networks.create(config);
            TestNetworks.initialized(network, manager);
            ModelConfig saved = ModelBundle.save(dir, config, network, "test", Map.of("note", "unit test"));
            assertTrue(saved.version().startsWith("test-"));
            ImageClassifier before = network instanceof TwoStageVit t
                    ? TwoStageClassifier.of(t, manager) : PlainClassifier.of((PlainVit) network, manager);
            List<StagedPrediction> expected = before.classify(images, 0.5);
            try (ImageClassifier after = ImageClassifier.load(dir, Device.cpu())) {
                assertEquals(saved, after.config());
                List<StagedPrediction> actual = after.classify(images, 0.5);
                for (int i = 0; i < images.size(); i++) {
                    assertArrayEquals(expected.get(i).prediction().probabilities(),
                            actual.get(i).prediction().probabilities(), 0f);
                }
            }
        }
        assertEquals("unit test", ModelBundle.readMetrics(dir).get("note"));
    }

    @Test
    void weightsFromAnotherBundleAreRefused() throws Exception {
        Path other = dir.resolve("other");
        try (NDManager manager = NDManager.newBaseManager()) {
            for (Path d : List.of(dir, other)) {
                ModuleBlock network = Networks.create(TestConfigs.tiny(ModelFamily.LFVIT));
                TestNetworks.initialized(network, manager);
                ModelBundle.save(d, TestConfigs.tiny(ModelFamily.LFVIT), network, "test", Map.of());
            }
            Files.copy(other.resolve(ModelBundle.WEIGHTS), dir.resolve(ModelBundle.WEIGHTS),
                    java.nio.file.StandardCopyOption.REPLACE_EXISTING);
            BundleException e = assertThrows(BundleException.class, () -> ModelBundle.load(dir, manager));
            assertTrue(e.getMessage().contains("does not belong"), e.getMessage());
        }
    }

    @Test
    void aConfigThatDoesNotFitTheWeightsIsRefused() throws Exception {
        try (NDManager manager = NDManager.newBaseManager()) {
            ModelConfig small = TestConfigs.tiny(ModelFamily.LFVIT);
            ModuleBlock network = Networks.create(small);
            TestNetworks.initialized(network, manager);
            ModelConfig saved = ModelBundle.save(dir, small, network, "test", Map.of());
            ModelConfig wider = TestConfigs.sized(ModelFamily.LFVIT, 64, 2, 2).withVersion(saved.version());
            Files.write(dir.resolve(ModelBundle.CONFIG), ModelBundle.JSON.writeValueAsBytes(wider));
            BundleException e = assertThrows(BundleException.class, () -> ModelBundle.load(dir, manager));
            assertTrue(e.getMessage().contains("weights do not fit") || e.getMessage().contains("cannot be read"),
                    e.getMessage());
        }
    }

    @Test
    void aMissingOrBrokenConfigSaysWhat() throws Exception {
        try (NDManager manager = NDManager.newBaseManager()) {
            BundleException missing = assertThrows(BundleException.class, () -> ModelBundle.load(dir, manager));
            assertTrue(missing.getMessage().contains("not a model bundle"), missing.getMessage());
            Files.writeString(dir.resolve(ModelBundle.CONFIG), "{\"family\": \"LFVIT\", \"width\": 30, \"heads\": 4}");
            BundleException broken = assertThrows(BundleException.class, () -> ModelBundle.load(dir, manager));
            assertTrue(broken.getMessage().contains("not a valid model config"), broken.getMessage());
        }
    }
}
