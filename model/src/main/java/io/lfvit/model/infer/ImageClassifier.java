package io.lfvit.model.infer;

import ai.djl.Device;
import io.lfvit.model.ModelConfig;
import ai.djl.ndarray.NDManager;
import io.lfvit.model.bundle.BundleException;
import io.lfvit.model.bundle.ModelBundle;
import io.lfvit.model.nn.ModuleBlock;
import io.lfvit.model.nn.PlainVit;
import io.lfvit.model.nn.Torch;
import io.lfvit.model.nn.TwoStageVit;
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

    /**
     * Localizes with an m x m NGCA window instead of the config's; only LF-ViT has one. The focus
     * stage takes its cells from the payload, so focus workers need not change with it.
     */
    default void setWindow(int m) {
        throw new IllegalArgumentException("a window size applies to LF-ViT models; this one is " + config().family());
    }

    /** Both stages in-process with early exit at {@code eta} (evaluation, benchmarks). */
    List<StagedPrediction> classify(List<byte[]> images, double eta);

    @Override
    void close();

    /** Loads a bundle for inference on {@code device}, on the calling (inference) thread. */
    static ImageClassifier load(Path bundle, Device device) throws IOException {
        Torch.disableGradients();
        NDManager manager = NDManager.newBaseManager(device);
        try {
            ModuleBlock network = ModelBundle.load(bundle, manager).network();
            if (network instanceof TwoStageVit twoStage) {
                return TwoStageClassifier.of(twoStage, manager);
            }
            if (network instanceof PlainVit plain) {
                return PlainClassifier.of(plain, manager);
            }
            throw new BundleException("no inference wrapper for " + network.getClass().getSimpleName());
        } catch (IOException | RuntimeException e) {
            manager.close();
            throw e;
        }
    }

    static ImageClassifier load(Path bundle) throws IOException {
        return load(bundle, Devices.resolve("auto"));
    }
}
