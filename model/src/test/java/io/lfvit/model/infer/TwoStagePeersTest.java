package io.lfvit.model.infer;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.Device;
import ai.djl.ndarray.NDManager;
import io.lfvit.model.ModelConfig;
import io.lfvit.model.ModelFamily;
import io.lfvit.model.TestConfigs;
import io.lfvit.model.TestImages;
import io.lfvit.model.TestNetworks;
import io.lfvit.model.bundle.ModelBundle;
import io.lfvit.model.nn.Networks;
import io.lfvit.model.nn.TwoStageVit;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The two-stage peers on the same serving path as LF-ViT: CF-ViT (global top-K), LF-ViT+EViT and
 * CF-ViT+EViT (focus encoder reorganises). Focus of payloads that crossed a process boundary
 * (bytes, float16 tokens) equals in-process focus, through a bundle loaded by family.
 */
class TwoStagePeersTest {
    @TempDir
    Path dir;

    private static ModelConfig config(ModelFamily family, double kappa) {
        ModelConfig t = TestConfigs.sized(family, 32, 3, 2);
        return new ModelConfig(family, t.version(), t.imageSize(), t.channels(), t.patchSize(), t.depth(), t.width(),
                t.heads(), t.mlpRatio(), t.m(), family == ModelFamily.CFVIT ? 0.5 : t.alpha(), t.beta(), t.gcaStart(),
                t.eta(), t.fusion(), kappa, kappa < 1 ? List.of(0, 2) : List.of(), t.classNames(), t.mean(), t.std());
    }

    private static double[] etas(int n, double eta) {
        double[] e = new double[n];
        Arrays.fill(e, eta);
        return e;
    }

    @ParameterizedTest(name = "{0} keep rate {1}: K = {2}, coarse {3}")
    @CsvSource({"CFVIT, 1.0, 25, 24", "CFVIT, 0.7, 25, 24", "LFVIT, 0.7, 22, 27", "LFVIT, 0.5, 22, 27"})
    void focusOfDeserializedPayloadsEqualsInProcessFocusAfterABundleRoundTrip(ModelFamily family, double kappa,
            int k, int coarse) throws Exception {
        ModelConfig config = config(family, kappa);
        try (NDManager manager = NDManager.newBaseManager()) {
            TwoStageVit network = (TwoStageVit) Networks.create(config);
            TestNetworks.initialized(network, manager);
            ModelBundle.save(dir, config, network, "peer", Map.of());
        }
        List<byte[]> images = TestImages.random(6, config, 13);
        try (ImageClassifier model = ImageClassifier.load(dir, Device.cpu())) {
            assertTrue(model instanceof TwoStageClassifier, "the bundle's family picks the two-stage wrapper");
            assertEquals(family, model.config().family());
            List<StagedPrediction> inProcess = model.classify(images, 1.01);
            List<LocalizationResult> localized = model.localize(images, etas(6, 1.01));
            List<FocusPayload> payloads = localized.stream().map(LocalizationResult::payload)
                    .map(TwoStageClassifierTest::roundTrip).toList();
            for (FocusPayload p : payloads) {
                assertEquals(k, p.splitCells().length);
                assertEquals(coarse, p.coarseCells().length);
                assertEquals(k + coarse, p.tokenRows(), "reuse vectors + coarse tokens");
                assertEquals(model.config().version(), p.modelVersion());
            }
            List<Prediction> remote = model.focus(payloads);
            for (int i = 0; i < images.size(); i++) {
                assertArrayEquals(inProcess.get(i).region().splitCells(), payloads.get(i).splitCells());
                assertArrayEquals(inProcess.get(i).prediction().probabilities(), remote.get(i).probabilities(), 2e-3f,
                        "image " + i + ": focus from float16 tokens matches in-process focus");
            }
        }
    }

    @Test
    void cfVitSplitsTheGloballyTopHalfOfTheCellsByGca() {
        ModelConfig config = config(ModelFamily.CFVIT, 1.0);
        try (NDManager manager = NDManager.newBaseManager()) {
            TwoStageVit network = (TwoStageVit) Networks.create(config);
            TestNetworks.initialized(network, manager);
            TwoStageClassifier classifier = TwoStageClassifier.of(network, manager);
            LocalizationResult r = classifier.localize(TestImages.random(1, config, 3), etas(1, 1.01)).get(0);
            int[] split = r.region().splitCells();
            assertEquals(25, split.length, "ceil(0.5 * 49)");
            float lowestSplit = Float.MAX_VALUE;
            for (int c : split) {
                lowestSplit = Math.min(lowestSplit, r.gca()[c]);
            }
            for (int c : r.region().coarseCells()) {
                assertTrue(r.gca()[c] <= lowestSplit, "coarse cell " + c + " has no more GCA than any split cell");
            }
            int[] all = IntStream.concat(Arrays.stream(split), Arrays.stream(r.region().coarseCells())).sorted().toArray();
            assertArrayEquals(IntStream.range(0, 49).toArray(), all, "every cell once");
        }
    }
}
