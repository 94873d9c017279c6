package io.lfvit.trainer.eval;

import io.lfvit.model.infer.ImageClassifier;
import io.lfvit.model.infer.StagedPrediction;
import io.lfvit.model.select.Region;
import io.lfvit.data.ImageDataset;
import io.lfvit.data.Sample;
import io.lfvit.trainer.train.Progress;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;

/**
 * Per-image outputs of both stages over a dataset (every image taken through focus, eta above 1),
 * from which any eta's early-exit accuracy and exit rate follow exactly, as in the official
 * dynamic-inference sweep.
 *
 * @param labels true classes
 * @param locPredicted localization predictions
 * @param locConfidence localization softmax maxima
 * @param finalPredicted focus predictions (the only stage's for single-stage models)
 * @param regions focus regions (null entries for single-stage models)
 */
public record StageOutputs(int[] labels, int[] locPredicted, float[] locConfidence, int[] finalPredicted,
        Region[] regions) {

    public static StageOutputs collect(ImageClassifier model, ImageDataset data, int limit, int batch,
            PrintStream log) {
        int n = Math.min(limit, data.size());
        int[] labels = new int[n];
        int[] locPredicted = new int[n];
        float[] locConfidence = new float[n];
        int[] finalPredicted = new int[n];
        Region[] regions = new Region[n];
        Progress progress = new Progress(log, "eval " + model.config().family().name().toLowerCase(), n, 0);
        for (int from = 0; from < n; from += batch) {
            int to = Math.min(n, from + batch);
            List<byte[]> images = new ArrayList<>();
            for (int i = from; i < to; i++) {
                Sample s = data.get(i, 0, false);
                images.add(s.pixels());
                labels[i] = s.label();
            }
            List<StagedPrediction> out = model.classify(images, 1.01);
            for (int i = from; i < to; i++) {
                StagedPrediction p = out.get(i - from);
                locPredicted[i] = p.localization().classIndex();
                locConfidence[i] = p.localization().confidence();
                finalPredicted[i] = p.prediction().classIndex();
                regions[i] = p.region();
            }
            progress.update(to, "");
        }
        return new StageOutputs(labels, locPredicted, locConfidence, finalPredicted, regions);
    }

    public int size() {
        return labels.length;
    }

    /** Share of images whose localization confidence reaches eta. */
    public double exitRate(double eta) {
        int exits = 0;
        for (float c : locConfidence) {
            exits += c >= eta ? 1 : 0;
        }
        return (double) exits / size();
    }

    /** Early-exit accuracy at eta: the localization answer when it is confident enough, else focus. */
    public double accuracy(double eta) {
        int correct = 0;
        for (int i = 0; i < size(); i++) {
            int predicted = locConfidence[i] >= eta ? locPredicted[i] : finalPredicted[i];
            correct += predicted == labels[i] ? 1 : 0;
        }
        return (double) correct / size();
    }

    public double localizationAccuracy() {
        return accuracy(0.0);
    }

    public double focusAccuracy() {
        return accuracy(1.01);
    }
}
