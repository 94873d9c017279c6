package io.lfvit.trainer.train;

/**
 * The recipe, identical for LF-ViT and its baseline (same data, steps, optimizer and schedule).
 *
 * @param epochs passes over the training split (fractional allowed)
 * @param batchSize images per step
 * @param learningRate peak AdamW learning rate
 * @param minLearningRate cosine floor
 * @param warmupSteps linear warm-up steps
 * @param weightDecay decoupled weight decay (matrices only)
 * @param clipNorm global gradient-norm clip (0 = off)
 * @param labelSmoothing label smoothing of the cross-entropy
 * @param wholeImageFraction share of steps in the first phase (two-stage models: focus on the whole
 *     image), before region selection takes over, as in the paper's 230 of 350 epochs
 * @param seed data order, initialisation and augmentation seed
 * @param checkpointEvery steps between checkpoints
 * @param validationImages images of the validation split scored at each epoch end and at the end
 * @param init version of the bundle the weights started from ({@code lfvit train --init}), null
 *     when they started from random values
 */
public record TrainingOptions(
        double epochs,
        int batchSize,
        double learningRate,
        double minLearningRate,
        int warmupSteps,
        double weightDecay,
        double clipNorm,
        double labelSmoothing,
        double wholeImageFraction,
        long seed,
        int checkpointEvery,
        int validationImages,
        String init) {

    /** A recipe that starts from random weights. */
    public TrainingOptions(double epochs, int batchSize, double learningRate, double minLearningRate, int warmupSteps,
            double weightDecay, double clipNorm, double labelSmoothing, double wholeImageFraction, long seed,
            int checkpointEvery, int validationImages) {
        this(epochs, batchSize, learningRate, minLearningRate, warmupSteps, weightDecay, clipNorm, labelSmoothing,
                wholeImageFraction, seed, checkpointEvery, validationImages, null);
    }

    /** The same recipe, starting from the weights of bundle version {@code version}. */
    public TrainingOptions initialisedFrom(String version) {
        return new TrainingOptions(epochs, batchSize, learningRate, minLearningRate, warmupSteps, weightDecay, clipNorm,
                labelSmoothing, wholeImageFraction, seed, checkpointEvery, validationImages, version);
    }
}
