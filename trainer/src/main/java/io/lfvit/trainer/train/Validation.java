package io.lfvit.trainer.train;

import ai.djl.ndarray.NDManager;
import io.lfvit.model.infer.ImageClassifier;
import io.lfvit.model.infer.PlainClassifier;
import io.lfvit.model.infer.TwoStageClassifier;
import io.lfvit.model.nn.ModuleBlock;
import io.lfvit.model.nn.PlainVit;
import io.lfvit.model.nn.TwoStageVit;
import io.lfvit.data.ImageDataset;
import io.lfvit.trainer.eval.StageOutputs;
import java.io.OutputStream;
import java.io.PrintStream;

/** Accuracy on the first images of a held-out split; two-stage models are scored per stage (eta above 1). */
final class Validation {
    record Result(int images, double accuracy, double localizationAccuracy) {}

    private Validation() {}

    static Result run(ModuleBlock network, ImageDataset data, int images, int batchSize, NDManager manager) {
        // The inference wrappers share the training manager; they are deliberately not closed here.
        ImageClassifier classifier = network instanceof TwoStageVit twoStage
                ? TwoStageClassifier.of(twoStage, manager) : PlainClassifier.of((PlainVit) network, manager);
        StageOutputs out = StageOutputs.collect(classifier, data, images, batchSize,
                new PrintStream(OutputStream.nullOutputStream()));
        return new Result(out.size(), out.focusAccuracy(),
                classifier.isTwoStage() ? out.localizationAccuracy() : -1);
    }
}
