package io.lfvit.model.bundle;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
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
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** EViT and LF-ViT+EViT / CF-ViT+EViT configs: networks, bundles, inference wrappers. */
class PeerBundlesTest {
    @TempDir
    Path dir;

    /** A tiny config of {@code family} reorganising at blocks 0 and 1 of 3 with keep rate {@code kappa}. */
    static ModelConfig reorganising(ModelFamily family, double kappa) {
        ModelConfig t = TestConfigs.sized(family, 32, 3, 2);
        return new ModelConfig(family, t.version(), t.imageSize(), t.channels(), t.patchSize(), t.depth(), t.width(),
                t.heads(), t.mlpRatio(), t.m(), family == ModelFamily.CFVIT ? 0.5 : t.alpha(), t.beta(), t.gcaStart(),
                t.eta(), t.fusion(), kappa, List.of(0, 1), t.classNames(), t.mean(), t.std());
    }

    @ParameterizedTest
    @EnumSource(value = ModelFamily.class, names = {"EVIT", "LFVIT", "CFVIT"})
    void savedAndLoadedReorganisingModelsGiveIdenticalOutputs(ModelFamily family) throws Exception {
        ModelConfig config = reorganising(family, 0.7);
        List<byte[]> images = TestImages.random(3, config, 21);
        try (NDManager manager = NDManager.newBaseManager()) {
            ModuleBlock network = Networks.create(config);
            TestNetworks.initialized(network, manager);
            ModelConfig saved = ModelBundle.save(dir, config, network, "test", Map.of());
            ImageClassifier before = network instanceof TwoStageVit t
                    ? TwoStageClassifier.of(t, manager) : PlainClassifier.of((PlainVit) network, manager);
            List<StagedPrediction> expected = before.classify(images, 1.01);
            try (ImageClassifier after = ImageClassifier.load(dir, Device.cpu())) {
                assertEquals(saved, after.config());
                assertEquals(0.7, after.config().keepRate());
                assertEquals(List.of(0, 1), after.config().reorganiseBlocks());
                assertEquals(family.isTwoStage(), after.isTwoStage());
                List<StagedPrediction> actual = after.classify(images, 1.01);
                for (int i = 0; i < images.size(); i++) {
                    assertArrayEquals(expected.get(i).prediction().probabilities(),
                            actual.get(i).prediction().probabilities(), 0f);
                }
            }
        }
    }

    @Test
    void evitIsTheVitNetworkWithFewerTokensAndItsOwnAnswers() {
        ModelConfig config = reorganising(ModelFamily.EVIT, 0.5);
        try (NDManager manager = NDManager.newBaseManager()) {
            PlainVit evit = (PlainVit) Networks.create(config);
            evit.initialize(manager);
            NDArray images = manager.randomNormal(new Shape(2, 1, 112, 112));
            NDArray reorganised = evit.forward(images);
            NDArray allTokens = evit.forward(images, 1.0);
            assertEquals(new Shape(2, 10), reorganised.getShape());
            assertFalse(Arrays.equals(reorganised.toFloatArray(), allTokens.toFloatArray()),
                    "keep rate 0.5 at blocks 0, 1 changes the logits");
            assertArrayEquals(reorganised.toFloatArray(), evit.forward(images, 0.5).toFloatArray(), 0f,
                    "forward(x) runs at the config's keep rate, deterministically");
            // the same weights in a ViT network give the all-tokens answer
            ModelConfig vitConfig = TestConfigs.sized(ModelFamily.VIT, 32, 3, 2);
            PlainVit vit = new PlainVit(vitConfig);
            vit.initialize(manager);
            for (int i = 0; i < vit.getParameters().size(); i++) {
                vit.getParameters().get(i).getValue().getArray().set(
                        evit.getParameters().get(i).getValue().getArray().toFloatArray());
            }
            assertArrayEquals(allTokens.toFloatArray(), vit.forward(images).toFloatArray(), 1e-6f);
        }
    }

    @Test
    void aTwoStageModelReorganisesOnlyInTheFocusStage() {
        ModelConfig config = reorganising(ModelFamily.LFVIT, 0.5);
        try (NDManager manager = NDManager.newBaseManager()) {
            TwoStageVit network = (TwoStageVit) Networks.create(config);
            TestNetworks.initialized(network, manager);
            TwoStageClassifier classifier = TwoStageClassifier.of(network, manager);
            List<byte[]> images = TestImages.random(2, config, 5);
            List<StagedPrediction> reorganised = classifier.classify(images, 1.01);
            TwoStageVit plain = (TwoStageVit) Networks.create(withKeepRate(config, 1.0));
            plain.initialize(manager);
            for (int i = 0; i < plain.getParameters().size(); i++) {
                plain.getParameters().get(i).getValue().getArray().set(
                        network.getParameters().get(i).getValue().getArray().toFloatArray());
            }
            List<StagedPrediction> full = TwoStageClassifier.of(plain, manager).classify(images, 1.01);
            for (int i = 0; i < images.size(); i++) {
                assertArrayEquals(full.get(i).localization().probabilities(),
                        reorganised.get(i).localization().probabilities(), 0f, "localization keeps every token");
                assertArrayEquals(full.get(i).region().splitCells(), reorganised.get(i).region().splitCells());
                assertFalse(Arrays.equals(full.get(i).prediction().probabilities(),
                        reorganised.get(i).prediction().probabilities()), "the focus stage reorganises");
            }
        }
    }

    @Test
    void configsRefuseBlocksOutsideTheEncoderAndAReorganisingVit() {
        ModelConfig ok = reorganising(ModelFamily.EVIT, 0.7);
        IllegalArgumentException outside = assertThrows(IllegalArgumentException.class,
                () -> new ModelConfig(ok.family(), ok.version(), 112, 1, 8, 3, 32, 2, 4, 5, 0.88, 0.99, 1, 0.8, true,
                        0.7, List.of(1, 3), ok.classNames(), ok.mean(), ok.std()));
        assertTrue(outside.getMessage().contains("reorganiseBlocks"), outside.getMessage());
        IllegalArgumentException vit = assertThrows(IllegalArgumentException.class,
                () -> new ModelConfig(ModelFamily.VIT, ok.version(), 112, 1, 8, 3, 32, 2, 4, 5, 0.88, 0.99, 1, 0.8,
                        true, 0.7, List.of(1), ok.classNames(), ok.mean(), ok.std()));
        assertTrue(vit.getMessage().contains("EVIT"), vit.getMessage());
    }

    static ModelConfig withKeepRate(ModelConfig c, double kappa) {
        return new ModelConfig(c.family(), c.version(), c.imageSize(), c.channels(), c.patchSize(), c.depth(),
                c.width(), c.heads(), c.mlpRatio(), c.m(), c.alpha(), c.beta(), c.gcaStart(), c.eta(), c.fusion(),
                kappa, c.reorganiseBlocks(), c.classNames(), c.mean(), c.std());
    }
}
