package io.lfvit.model.infer;

import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.NDScope;
import io.lfvit.model.ModelConfig;
import io.lfvit.model.nn.PlainVit;
import java.util.ArrayList;
import java.util.List;

/** Single-stage inference (the ViT baseline): every image exits after its one stage. */
public final class PlainClassifier implements ImageClassifier {
    private final NDManager manager;
    private final PlainVit network;
    private final HostStaging staging = new HostStaging();

    private PlainClassifier(NDManager manager, PlainVit network) {
        this.manager = manager;
        this.network = network;
    }


    public static PlainClassifier of(PlainVit network, NDManager manager) {
        return new PlainClassifier(manager, network);
    }

    @Override
    public ModelConfig config() {
        return network.config();
    }

    @Override
    public boolean isTwoStage() {
        return false;
    }

    private List<Prediction> predict(List<byte[]> images) {
        try (NDScope scope = new NDScope()) {
            float[][] probabilities = PixelBatch.rows(
                    network.forward(network.normalize(PixelBatch.of(manager, staging, images, config()))).softmax(-1));
            List<Prediction> out = new ArrayList<>(images.size());
            for (float[] row : probabilities) {
                out.add(Prediction.of(row));
            }
            return out;
        }
    }

    @Override
    public List<LocalizationResult> localize(List<byte[]> images, double[] etas) {
        return predict(images).stream().map(p -> new LocalizationResult(p, true, null, null, null)).toList();
    }

    @Override
    public List<Prediction> focus(List<FocusPayload> payloads) {
        throw new UnsupportedOperationException(config().family() + " is single-stage: it has no focus stage");
    }

    @Override
    public List<StagedPrediction> classify(List<byte[]> images, double eta) {
        return predict(images).stream().map(p -> new StagedPrediction(p, p, false, null)).toList();
    }

    @Override
    public void close() {
        manager.close();
    }
}
