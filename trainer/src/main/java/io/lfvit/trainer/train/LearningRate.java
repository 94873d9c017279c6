package io.lfvit.trainer.train;

/** Linear warm-up from 0 to the peak, then cosine decay to the floor. */
public record LearningRate(double peak, double floor, long warmupSteps, long totalSteps) {

    public double at(long step) {
        if (step < warmupSteps) {
            return peak * (step + 1) / warmupSteps;
        }
        double progress = Math.min(1.0, (double) (step - warmupSteps) / Math.max(1, totalSteps - warmupSteps));
        return floor + (peak - floor) * 0.5 * (1 + Math.cos(Math.PI * progress));
    }
}
