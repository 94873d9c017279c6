package io.lfvit.trainer.train;

/**
 * EViT's keep-rate warm-up (implementation notes, section 4.2), per step: all tokens (kappa = 1)
 * for the first {@code fullSteps}, then a cosine from 1 down to the target over
 * {@code shrinkSteps}, then the target. The official recipe keeps all tokens for 10 of 300 epochs
 * and shrinks over the next 100; our budget is a few epochs, so {@link #forRun} keeps all tokens for
 * the first 10% of the steps and shrinks over the next third (the paper's 100/300). Validation
 * during training runs at the configured keep rate (the official code uses the current scheduled
 * one mid-training and the configured one at the end).
 *
 * @param target the configured keep rate (1 = no schedule)
 * @param fullSteps steps at kappa 1
 * @param shrinkSteps steps of the cosine
 */
public record KeepRateSchedule(double target, long fullSteps, long shrinkSteps) {
    public static final double FULL_FRACTION = 0.10;
    public static final double SHRINK_FRACTION = 1.0 / 3.0;

    /** The schedule of a run of {@code totalSteps} steps. */
    public static KeepRateSchedule forRun(double target, long totalSteps) {
        return new KeepRateSchedule(target, Math.round(FULL_FRACTION * totalSteps),
                Math.max(1, Math.round(SHRINK_FRACTION * totalSteps)));
    }

    /** A constant keep rate (evaluation, or a run without warm-up). */
    public static KeepRateSchedule constant(double keepRate) {
        return new KeepRateSchedule(keepRate, 0, 0);
    }

    public double at(long step) {
        if (target >= 1 || step < fullSteps) {
            return 1.0;
        }
        if (shrinkSteps <= 0) {
            return target;
        }
        double t = (double) (step - fullSteps) / shrinkSteps;
        if (t >= 1) {
            return target;
        }
        return target + (1 - target) * 0.5 * (1 + Math.cos(Math.PI * t));
    }
}
