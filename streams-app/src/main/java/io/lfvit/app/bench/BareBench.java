package io.lfvit.app.bench;

import io.lfvit.model.infer.Devices;
import io.lfvit.model.infer.FocusPayload;
import io.lfvit.model.infer.ImageClassifier;
import io.lfvit.model.infer.LocalizationResult;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The model alone, in this process, on the benchmark's images: (a) the calls the pipeline makes
 * (localize in batches of {@code batch.max}, then focus on the payloads of the images that continue, in
 * batches of {@code batch.max}: float16 tokens and region pixels included), and (b) in-process
 * {@code classify} at batch 64 as {@code lfvit eval} times it. Each is timed {@code repeats} times after a
 * warm-up pass; the best time counts (the least disturbed by the rest of the machine).
 */
final class BareBench {
    static final int CLASSIFY_BATCH = 64;

    /** Images/s of both ways, and the share of images that exit at localization. */
    record Result(double pipelineCallsImagesPerS, double classifyImagesPerS, double exitRate) {
        double best() {
            return Math.max(pipelineCallsImagesPerS, classifyImagesPerS);
        }
    }

    private BareBench() {}

    static Result measure(Path bundle, String device, List<byte[]> images, Double eta, int batchMax, int repeats)
            throws Exception {
        try (ImageClassifier model = ImageClassifier.load(bundle, Devices.resolve(device))) {
            double e = eta != null ? eta : model.config().eta();
            List<byte[]> warm = images.subList(0, Math.min(images.size(), 4 * CLASSIFY_BATCH));
            pipelineCalls(model, warm, e, batchMax);
            classify(model, warm, e);
            double calls = Double.MAX_VALUE;
            double whole = Double.MAX_VALUE;
            double exitRate = 0;
            for (int r = 0; r < repeats; r++) {
                long t0 = System.nanoTime();
                exitRate = pipelineCalls(model, images, e, batchMax);
                long t1 = System.nanoTime();
                classify(model, images, e);
                long t2 = System.nanoTime();
                calls = Math.min(calls, (t1 - t0) / 1e9);
                whole = Math.min(whole, (t2 - t1) / 1e9);
            }
            return new Result(images.size() / calls, images.size() / whole, exitRate);
        }
    }

    /** Localize then focus as the two apps do; returns the exit rate. */
    private static double pipelineCalls(ImageClassifier model, List<byte[]> images, double eta, int batchMax) {
        List<FocusPayload> payloads = new ArrayList<>();
        for (int from = 0; from < images.size(); from += batchMax) {
            List<byte[]> batch = images.subList(from, Math.min(images.size(), from + batchMax));
            double[] etas = new double[batch.size()];
            Arrays.fill(etas, eta);
            for (LocalizationResult r : model.localize(batch, etas)) {
                if (!r.exits() && r.payload() != null) {
                    payloads.add(r.payload());
                }
            }
        }
        for (int from = 0; from < payloads.size(); from += batchMax) {
            model.focus(payloads.subList(from, Math.min(payloads.size(), from + batchMax)));
        }
        return 1 - (double) payloads.size() / images.size();
    }

    private static void classify(ImageClassifier model, List<byte[]> images, double eta) {
        for (int from = 0; from < images.size(); from += CLASSIFY_BATCH) {
            model.classify(images.subList(from, Math.min(images.size(), from + CLASSIFY_BATCH)), eta);
        }
    }
}
