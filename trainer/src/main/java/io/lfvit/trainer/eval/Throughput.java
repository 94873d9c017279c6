package io.lfvit.trainer.eval;

import io.lfvit.model.infer.ImageClassifier;
import java.util.List;

/**
 * Measured images per second of in-process early-exit inference: the same images, batch size and
 * threads for every model and eta, after warm-up batches, best of a few repeats to damp noise
 * from other processes.
 */
public final class Throughput {
    private final List<List<byte[]>> batches;
    private final int warmup;
    private final int repeats;

    public Throughput(List<List<byte[]>> batches, int warmup, int repeats) {
        this.batches = batches;
        this.warmup = warmup;
        this.repeats = repeats;
    }

    public double imagesPerSecond(ImageClassifier model, double eta) {
        for (int i = 0; i < warmup; i++) {
            model.classify(batches.get(i % batches.size()), eta);
        }
        int images = batches.stream().mapToInt(List::size).sum();
        double best = 0;
        for (int r = 0; r < repeats; r++) {
            long t0 = System.nanoTime();
            for (List<byte[]> batch : batches) {
                model.classify(batch, eta);
            }
            best = Math.max(best, images / ((System.nanoTime() - t0) / 1e9));
        }
        return best;
    }
}
