package io.lfvit.trainer.train;

import ai.djl.ndarray.NDArray;
import io.lfvit.model.nn.ModuleBlock;
import io.lfvit.model.nn.TwoStageVit;
import io.lfvit.model.select.Region;
import io.lfvit.model.select.RegionBatch;
import io.lfvit.model.select.RegionPolicy;
import io.lfvit.model.select.Regions;
import java.util.Random;

/**
 * LF-ViT / CF-ViT training step: both stages for every sample, CE on the focus output plus
 * KL(focus || localization) with the focus distribution detached.
 */
final class TwoStageObjective implements Objective {
    private final TwoStageVit network;
    private final float smoothing;
    private final Random random = new Random(7);
    private final KeepRateSchedule schedule;
    private double keepRate;

    TwoStageObjective(TwoStageVit network, float smoothing, KeepRateSchedule schedule) {
        this.network = network;
        this.smoothing = smoothing;
        this.schedule = schedule;
        this.keepRate = schedule.at(0);
    }

    /** The focus stage's keep rate follows the schedule (LF-ViT+EViT; always 1 otherwise). */
    @Override
    public void startStep(long step) {
        keepRate = schedule.at(step);
    }

    @Override
    public double keepRate() {
        return keepRate;
    }

    @Override
    public Forward forward(NDArray pixels, NDArray labels, RegionPolicy policy) {
        NDArray full = network.normalize(pixels);
        TwoStageVit.Localization loc = network.localize(full);
        Region[] regions = Regions.select(policy, loc.gca(), random);
        RegionBatch batch = RegionBatch.of(pixels.getManager(), regions, network.config().locGrid());
        NDArray focusLogits = network.focus(
                network.focusInput(loc, full, batch.splitCells(), batch.coarseCells(), batch.fineIds()), keepRate);
        NDArray loss = Losses.smoothedCrossEntropy(focusLogits, labels, smoothing)
                .add(Losses.distillation(loc.logits(), focusLogits));
        return new Forward(loss, focusLogits, loc.logits());
    }

    @Override
    public ModuleBlock network() {
        return network;
    }
}
