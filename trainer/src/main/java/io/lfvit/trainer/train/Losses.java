package io.lfvit.trainer.train;

import ai.djl.ndarray.NDArray;

/** The training losses, batch-averaged. */
public final class Losses {
    private Losses() {}

    /** Cross-entropy against one-hot targets smoothed by {@code smoothing}. */
    public static NDArray smoothedCrossEntropy(NDArray logits, NDArray labels, float smoothing) {
        long classes = logits.getShape().get(1);
        NDArray logProbs = logits.logSoftmax(-1);
        NDArray targets = labels.oneHot((int) classes).mul(1 - smoothing).add(smoothing / classes);
        return logProbs.mul(targets).sum(new int[] {1}).neg().mean();
    }

    /**
     * KL(teacher || student) with the teacher detached: LF-ViT's term that pulls the localization
     * distribution towards the focus stage's (PyTorch's KLDivLoss, batchmean, temperature 1).
     */
    public static NDArray distillation(NDArray studentLogits, NDArray teacherLogits) {
        NDArray teacherLog = teacherLogits.logSoftmax(-1).stopGradient();
        NDArray teacher = teacherLog.exp();
        return teacher.mul(teacherLog.sub(studentLogits.logSoftmax(-1))).sum(new int[] {1}).mean();
    }
}
