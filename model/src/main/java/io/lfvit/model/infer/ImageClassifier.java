package io.lfvit.model.infer;

import ai.djl.Device;
import io.lfvit.model.ModelConfig;
import io.lfvit.model.bundle.ModelBundle;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;

/**
 * A loaded model ready for inference. Images are raw 8-bit pixels, channel-major [C,S,S] at the
 * model's input size. Not thread-safe: one instance per inference thread (see stack notes).
 */
public interface ImageClassifier extends AutoCloseable {

    ModelConfig config();

    /** Whether a focus stage exists (LF-ViT, CF-ViT); single-stage models always exit. */
    boolean isTwoStage();

    /**
     * Runs the first (for single-stage models the only) stage on a batch. An image whose confidence
     * is below its eta continues: its result carries the region and the focus payload.
     */
    List<LocalizationResult> localize(List<byte[]> images, double[] etas);

    /** Runs the focus stage on payloads made by {@link #localize} of the same model version. */
    List<Prediction> focus(List<FocusPayload> payloads);

    /** Both stages in-process with early exit at {@code eta} (evaluation, benchmarks). */
    List<StagedPrediction> classify(List<byte[]> images, double eta);

    @Override
    void close();

    static ImageClassifier load(Path bundle, Device device) throws IOException {
        ModelConfig config = ModelBundle.readConfig(bundle);
        return config.family().isTwoStage() ? TwoStageClassifier.load(bundle, device)
                : PlainClassifier.load(bundle, device);
    }

    static ImageClassifier load(Path bundle) throws IOException {
        return load(bundle, Devices.resolve("auto"));
    }
}
