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

    static Objective of(ModuleBlock network, float smoothing) {
        if (network instanceof TwoStageVit twoStage) {
            return new TwoStageObjective(twoStage, smoothing);
        }
        if (network instanceof PlainVit plain) {
            return new Objective() {
                @Override
                public Forward forward(NDArray pixels, NDArray labels, RegionPolicy regions) {
                    NDArray logits = plain.forward(plain.normalize(pixels));
                    return new Forward(Losses.smoothedCrossEntropy(logits, labels, smoothing), logits, null);
                }

                @Override
                public ModuleBlock network() {
                    return plain;
                }
            };
        }
        throw new IllegalArgumentException("no training objective for " + network.getClass().getSimpleName());
    }
}
