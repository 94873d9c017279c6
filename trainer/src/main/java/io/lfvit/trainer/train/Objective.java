package io.lfvit.trainer.train;

import ai.djl.ndarray.NDArray;
import io.lfvit.model.nn.ModuleBlock;
import io.lfvit.model.nn.PlainVit;
import io.lfvit.model.nn.TwoStageVit;
import io.lfvit.model.select.RegionPolicy;

/** What one training step computes for a model family. */
public interface Objective {

    /**
     * @param loss scalar loss (with graph)
     * @param logits the logits whose accuracy is reported (focus stage for two-stage models)
     * @param auxLogits localization logits of two-stage models, else null
     */
    record Forward(NDArray loss, NDArray logits, NDArray auxLogits) {}

    /** Runs forward for raw pixels [B,C,S,S] and labels [B]; {@code regions} is used by two-stage models. */
    Forward forward(NDArray pixels, NDArray labels, RegionPolicy regions);

    ModuleBlock network();

    /** Called before each training step's forward; EViT's keep rate follows its warm-up schedule. */
    default void startStep(long step) {}

    /** The keep rate the next forward uses (1 = all tokens). */
    default double keepRate() {
        return 1.0;
    }

    /** An objective at the config's keep rate (no warm-up). */
    static Objective of(ModuleBlock network, float smoothing) {
        return of(network, smoothing, 0);
    }

    /**
     * The objective of a run of {@code totalSteps} steps; a config keep rate below 1 (EViT, or
     * LF-ViT+EViT's focus stage) is warmed up by {@link KeepRateSchedule#forRun} (0 steps: none).
     */
    static Objective of(ModuleBlock network, float smoothing, long totalSteps) {
        if (network instanceof TwoStageVit twoStage) {
            return new TwoStageObjective(twoStage, smoothing, schedule(twoStage.config().keepRate(), totalSteps));
        }
        if (network instanceof PlainVit plain) {
            return new PlainObjective(plain, smoothing, schedule(plain.config().keepRate(), totalSteps));
        }
        throw new IllegalArgumentException("no training objective for " + network.getClass().getSimpleName());
    }

    private static KeepRateSchedule schedule(double keepRate, long totalSteps) {
        return totalSteps > 0 ? KeepRateSchedule.forRun(keepRate, totalSteps) : KeepRateSchedule.constant(keepRate);
    }
}
