package io.lfvit.trainer.train;

import ai.djl.ndarray.NDArray;
import io.lfvit.model.nn.ModuleBlock;
import io.lfvit.model.nn.PlainVit;
import io.lfvit.model.select.RegionPolicy;

/** ViT / EViT training step: label-smoothed cross-entropy at the scheduled keep rate. */
final class PlainObjective extends ScheduledKeepRate {
    private final PlainVit network;
    private final float smoothing;

    PlainObjective(PlainVit network, float smoothing, KeepRateSchedule schedule) {
        super(schedule);
        this.network = network;
        this.smoothing = smoothing;
    }

    @Override
    public Forward forward(NDArray pixels, NDArray labels, RegionPolicy regions) {
        NDArray logits = network.forward(network.normalize(pixels), keepRate());
        return new Forward(Losses.smoothedCrossEntropy(logits, labels, smoothing), logits, null);
    }

    @Override
    public ModuleBlock network() {
        return network;
    }
}
