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
final class TwoStageObjective extends ScheduledKeepRate {
    private final TwoStageVit network;
    private final float smoothing;
    private final Random random = new Random(7);

    TwoStageObjective(TwoStageVit network, float smoothing, KeepRateSchedule schedule) {
        super(schedule);
        this.network = network;
        this.smoothing = smoothing;
    }

    @Override
    public Forward forward(NDArray pixels, NDArray labels, RegionPolicy policy) {
        NDArray full = network.normalize(pixels);
        TwoStageVit.Localization loc = network.localize(full);
        Region[] regions = Regions.select(policy, loc.gca(), random);
        RegionBatch batch = RegionBatch.of(pixels.getManager(), regions, network.config().locGrid());
        NDArray focusLogits = network.focus(
                network.focusInput(loc, full, batch.splitCells(), batch.coarseCells(), batch.fineIds()), keepRate());
        NDArray loss = Losses.smoothedCrossEntropy(focusLogits, labels, smoothing)
                .add(Losses.distillation(loc.logits(), focusLogits));
        return new Forward(loss, focusLogits, loc.logits());
    }

    @Override
    public ModuleBlock network() {
        return network;
    }
}
