package io.lfvit.trainer.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.Device;
import io.lfvit.model.ModelConfig;
import io.lfvit.model.ModelFamily;
import io.lfvit.model.bundle.ModelBundle;
import io.lfvit.model.infer.FocusPayload;
import io.lfvit.model.infer.ImageClassifier;
import io.lfvit.model.infer.LocalizationResult;
import io.lfvit.model.infer.Prediction;
import io.lfvit.model.infer.StagedPrediction;
import io.lfvit.model.infer.TwoStageClassifier;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The two-stage peers end to end: train (a few steps) -> bundle -> load by family -> classify ->
 * localize -> focus on copied payloads, as the streams app serves them.
 */
class PeerTrainingTest {
    @TempDir
    Path out;

    private static ModelConfig config(ModelFamily family, double alpha, double kappa) {
        return new ModelConfig(family, "untrained", 112, 1, 8, 2, 32, 2, 2, 5, alpha, 0.99, 1, 0.8, true, kappa,
                kappa < 1 ? List.of(0, 1) : List.of(), List.of("square", "bar"), List.of(0.1), List.of(0.25));
    }

    @ParameterizedTest(name = "{0} alpha {1} keep rate {2}: K = {3}")
    @CsvSource({"CFVIT, 0.5, 1.0, 25", "LFVIT, 0.88, 0.7, 22"})
    void trainBundleLoadClassifyAndServeBothStages(ModelFamily family, double alpha, double kappa, int k)
            throws Exception {
        TrainingOptions options = new TrainingOptions(1, 8, 1e-3, 1e-4, 2, 0.05, 1.0, 0.1, 0.5, 5, 100, 16);
        ModelConfig written = new TrainingRun(config(family, alpha, kappa), options, new TinyTrainingTest.Shapes(8 * 4),
                new TinyTrainingTest.Shapes(16), out, new PrintStream(new ByteArrayOutputStream(), true)).run();
        assertNotNull(written);
        assertEquals(family, ModelBundle.readConfig(out).family());
        assertEquals(kappa, ModelBundle.readConfig(out).keepRate());

        List<byte[]> images = new ArrayList<>();
        TinyTrainingTest.Shapes test = new TinyTrainingTest.Shapes(6);
        for (int i = 0; i < 6; i++) {
            images.add(test.get(i, 0, false).pixels());
        }
        try (ImageClassifier model = ImageClassifier.load(out, Device.cpu())) {
            assertTrue(model instanceof TwoStageClassifier);
            assertEquals(written.version(), model.config().version());
            List<StagedPrediction> inProcess = model.classify(images, 1.01);
            double[] etas = new double[images.size()];
            Arrays.fill(etas, 1.01);
            List<LocalizationResult> localized = model.localize(images, etas);
            List<FocusPayload> payloads = localized.stream().map(LocalizationResult::payload).map(p ->
                    new FocusPayload(p.modelVersion(), p.splitCells().clone(), p.coarseCells().clone(),
                            p.tokens().clone(), p.tokenRows(), p.tokenWidth(), p.pixels().clone())).toList();
            List<Prediction> focused = model.focus(payloads);
            for (int i = 0; i < images.size(); i++) {
                assertEquals(k, payloads.get(i).splitCells().length);
                assertEquals(49 - k, payloads.get(i).coarseCells().length);
                assertArrayEquals(inProcess.get(i).localization().probabilities(),
                        localized.get(i).prediction().probabilities(), 1e-6f);
                assertArrayEquals(inProcess.get(i).prediction().probabilities(), focused.get(i).probabilities(), 2e-3f,
                        "image " + i + ": served focus equals in-process focus");
            }
        }
        @SuppressWarnings("unchecked")
        List<Map<String, Object>> validations = (List<Map<String, Object>>) ModelBundle.readMetrics(out).get("validation");
        assertTrue(validations.get(validations.size() - 1).containsKey("localization_accuracy"));
    }
}
