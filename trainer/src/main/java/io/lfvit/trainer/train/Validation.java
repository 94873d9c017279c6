package io.lfvit.trainer.train;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.NDScope;
import io.lfvit.model.nn.ModuleBlock;
import io.lfvit.model.nn.PlainVit;
import io.lfvit.model.nn.TwoStageVit;
import io.lfvit.model.select.Region;
import io.lfvit.model.select.RegionBatch;
import io.lfvit.model.select.RegionPolicy;
import io.lfvit.model.select.Regions;
import io.lfvit.trainer.data.Batches;
import io.lfvit.trainer.data.ImageDataset;
import io.lfvit.trainer.data.Sample;
import java.util.Random;

/** Accuracy on the first images of a held-out split; two-stage models are scored per stage (eta = 1). */
final class Validation {
    record Result(int images, double accuracy, double localizationAccuracy) {}

    private Validation() {}

    static Result run(ModuleBlock network, RegionPolicy policy, ImageDataset data, int images, int batchSize,
            NDManager manager) {
        boolean twoStage = network instanceof TwoStageVit;
        int correct = 0;
        int locCorrect = 0;
        Random random = new Random(0);
        for (int from = 0; from < images; from += batchSize) {
            int n = Math.min(batchSize, images - from);
            try (NDScope scope = new NDScope()) {
                Sample[] samples = new Sample[n];
                for (int i = 0; i < n; i++) {
                    samples[i] = data.get(from + i, 0, false);
                }
                Batches.Batch batch = Batches.of(manager, samples, data.channels(), data.imageSize());
                if (network instanceof TwoStageVit net) {
                    NDArray full = net.normalize(batch.pixels());
                    TwoStageVit.Localization loc = net.localize(full);
                    Region[] regions = Regions.select(policy, loc.gca(), random);
                    RegionBatch rb = RegionBatch.of(manager, regions, net.config().locGrid());
                    NDArray focus = net.focus(net.focusInput(loc, full, rb.splitCells(), rb.coarseCells(), rb.fineIds()));
                    correct += count(focus, batch.labelValues());
                    locCorrect += count(loc.logits(), batch.labelValues());
                } else if (network instanceof PlainVit net) {
                    correct += count(net.forward(net.normalize(batch.pixels())), batch.labelValues());
                }
            }
        }
        return new Result(images, (double) correct / images, twoStage ? (double) locCorrect / images : -1);
    }

    private static int count(NDArray logits, int[] labels) {
        long[] predicted = logits.argMax(1).toLongArray();
        int correct = 0;
        for (int i = 0; i < labels.length; i++) {
            correct += predicted[i] == labels[i] ? 1 : 0;
        }
        return correct;
    }
}
