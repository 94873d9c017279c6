package io.lfvit.app.support;

import io.lfvit.model.ModelConfig;
import io.lfvit.model.ModelFamily;
import io.lfvit.model.infer.FocusPayload;
import io.lfvit.model.infer.ImageClassifier;
import io.lfvit.model.infer.LocalizationResult;
import io.lfvit.model.infer.ModelVersionMismatchException;
import io.lfvit.model.infer.Prediction;
import io.lfvit.model.infer.StagedPrediction;
import io.lfvit.model.select.Region;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A deterministic stand-in for the model, for routing tests: an image's localization confidence is its
 * first pixel / 255 and its class its second pixel mod 10; the focus stage answers class + 1 (mod 10)
 * with confidence 0.99, read back from the payload's first token byte. Batch sizes are recorded.
 */
public final class ScriptedClassifier implements ImageClassifier {
    public static final int TOKEN_ROWS = 49;
    public static final int TOKEN_WIDTH = 4;

    private final ModelConfig config;
    public final List<Integer> localizeBatches = new CopyOnWriteArrayList<>();
    public final List<Integer> focusBatches = new CopyOnWriteArrayList<>();
    public volatile long focusDelayMs;
    /** Focus fails (as an engine error would) on any batch holding a task of this class; -1: never. */
    public volatile int failFocusOnClass = -1;

    public ScriptedClassifier(String version) {
        this.config = TestModels.tinyConfig(ModelFamily.LFVIT, version);
    }

    /** A model input [1, 112, 112] whose localization confidence is {@code confidence} and class {@code cls}. */
    public static byte[] image(double confidence, int cls) {
        byte[] pixels = new byte[112 * 112];
        pixels[0] = (byte) Math.round(confidence * 255);
        pixels[1] = (byte) cls;
        return pixels;
    }

    @Override
    public ModelConfig config() {
        return config;
    }

    @Override
    public boolean isTwoStage() {
        return true;
    }

    @Override
    public List<LocalizationResult> localize(List<byte[]> images, double[] etas) {
        localizeBatches.add(images.size());
        List<LocalizationResult> out = new ArrayList<>();
        for (int i = 0; i < images.size(); i++) {
            byte[] px = images.get(i);
            float conf = (px[0] & 0xff) / 255f;
            int cls = (px[1] & 0xff) % 10;
            Prediction p = prediction(cls, conf);
            boolean exits = conf >= etas[i];
            if (exits) {
                out.add(new LocalizationResult(p, true, new float[49], null, null));
            } else {
                byte[] tokens = new byte[TOKEN_ROWS * TOKEN_WIDTH * 2];
                tokens[0] = (byte) cls;
                int[] split = {0, 1};
                int[] coarse = java.util.stream.IntStream.range(2, 49).toArray();
                Region region = new Region(1, 2, 5, split, coarse);
                out.add(new LocalizationResult(p, false, new float[49], region,
                        new FocusPayload(config.version(), split, coarse, tokens, TOKEN_ROWS, TOKEN_WIDTH, new byte[2 * 16 * 16])));
            }
        }
        return out;
    }

    static Prediction prediction(int cls, float conf) {
        float[] probs = new float[10];
        float rest = (1 - conf) / 9;
        for (int c = 0; c < 10; c++) {
            probs[c] = c == cls ? conf : rest;
        }
        return new Prediction(cls, conf, probs);
    }

    @Override
    public List<Prediction> focus(List<FocusPayload> payloads) {
        focusBatches.add(payloads.size());
        if (focusDelayMs > 0) {
            try {
                Thread.sleep(focusDelayMs);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        if (payloads.stream().anyMatch(p -> p.tokens()[0] == failFocusOnClass)) {
            throw new IllegalStateException("scripted engine failure");
        }
        List<Prediction> out = new ArrayList<>();
        for (FocusPayload p : payloads) {
            if (!p.modelVersion().equals(config.version())) {
                throw new ModelVersionMismatchException(config.version(), p.modelVersion());
            }
            if (p.tokenWidth() != TOKEN_WIDTH) {
                throw new IllegalArgumentException("token width " + p.tokenWidth() + " != " + TOKEN_WIDTH);
            }
            out.add(prediction((p.tokens()[0] + 1) % 10, 0.99f));
        }
        return out;
    }

    @Override
    public List<StagedPrediction> classify(List<byte[]> images, double eta) {
        throw new UnsupportedOperationException();
    }

    @Override
    public void close() {}
}
