package io.lfvit.app.bench;

import io.lfvit.model.infer.Devices;
import io.lfvit.model.infer.FocusPayload;
import io.lfvit.model.infer.ImageClassifier;
import io.lfvit.model.infer.LocalizationResult;
import io.lfvit.model.nn.Torch;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The model alone, in this process, on the benchmark's images: (a) the calls the pipeline makes
 * (localize in batches of {@code batch.max}, then focus on the payloads of the images that continue, in
 * batches of the focus worker's {@code focus.batch.max}: float16 tokens and region pixels included), and (b) in-process
 * {@code classify} at batch 64 as {@code lfvit eval} times it, both with PyTorch's default threads (all
 * cores in one OpenMP team); and (c) the pipeline calls as the apps make them by default on a CPU: two
 * replicas of the model, one intra-op thread each, on two threads, each given every other batch. Each is
 * timed {@code repeats} times after a warm-up pass; the best time counts (the least disturbed by the rest of
 * the machine), and the fastest of the three is the bare speed the pipeline is held to.
 */
final class BareBench {
    static final int CLASSIFY_BATCH = 64;

    /** Images/s of both ways, and the share of images that exit at localization. */
    record Result(double pipelineCallsImagesPerS, double classifyImagesPerS, double replicasImagesPerS, double exitRate) {
        double best() {
            return Math.max(replicasImagesPerS, Math.max(pipelineCallsImagesPerS, classifyImagesPerS));
        }
    }

    static final int REPLICAS = 2;

    private BareBench() {}

    /** The batch sizes of the pipeline's calls: localization, focus. */
    record Batches(int localize, int focus) {}

    static Result measure(Path bundle, String device, List<byte[]> images, Double eta, Batches batchMax, int repeats)
            throws Exception {
        int threads = Torch.threads();
        Result oneTeam = oneTeam(bundle, device, images, eta, batchMax, repeats);
        double replicas = replicas(bundle, device, images, eta, batchMax, repeats);
        Torch.setThreads(threads);
        return new Result(oneTeam.pipelineCallsImagesPerS(), oneTeam.classifyImagesPerS(), replicas, oneTeam.exitRate());
    }

    /** (c): REPLICAS models, one thread each, each thread localizing every REPLICAS-th batch then focusing its payloads. */
    private static double replicas(Path bundle, String device, List<byte[]> images, Double eta, Batches batchMax, int repeats)
            throws Exception {
        java.util.concurrent.ExecutorService threads = java.util.concurrent.Executors.newFixedThreadPool(REPLICAS);
        List<ImageClassifier> models = new ArrayList<>();
        try {
            for (int i = 0; i < REPLICAS; i++) {
                models.add(threads.submit(() -> {
                    Torch.setThreads(1);
                    return ImageClassifier.load(bundle, Devices.resolve(device));
                }).get());
            }
            List<List<byte[]>> shares = new ArrayList<>();
            for (int i = 0; i < REPLICAS; i++) {
                shares.add(new ArrayList<>());
            }
            for (int from = 0, b = 0; from < images.size(); from += batchMax.localize(), b++) {
                shares.get(b % REPLICAS).addAll(images.subList(from, Math.min(images.size(), from + batchMax.localize())));
            }
            double best = Double.MAX_VALUE;
            for (int r = -1; r < repeats; r++) { // r = -1: warm-up
                long t0 = System.nanoTime();
                List<java.util.concurrent.Future<Double>> running = new ArrayList<>();
                for (int i = 0; i < REPLICAS; i++) {
                    ImageClassifier model = models.get(i);
                    List<byte[]> share = r < 0 ? shares.get(i).subList(0, Math.min(shares.get(i).size(), 2 * CLASSIFY_BATCH))
                            : shares.get(i);
                    running.add(threads.submit(() -> {
                        Torch.setThreads(1);
                        return pipelineCalls(model, share, eta != null ? eta : model.config().eta(), batchMax);
                    }));
                }
                for (java.util.concurrent.Future<Double> f : running) {
                    f.get();
                }
                if (r >= 0) {
                    best = Math.min(best, (System.nanoTime() - t0) / 1e9);
                }
            }
            return images.size() / best;
        } finally {
            for (ImageClassifier m : models) {
                threads.submit(m::close).get();
            }
            threads.shutdown();
        }
    }

    /** (a) and (b), with the process's default intra-op threads. */
    private static Result oneTeam(Path bundle, String device, List<byte[]> images, Double eta, Batches batchMax, int repeats)
            throws java.io.IOException {
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
            return new Result(images.size() / calls, images.size() / whole, Double.NaN, exitRate);
        }
    }

    /** Localize then focus as the two apps do; returns the exit rate. */
    private static double pipelineCalls(ImageClassifier model, List<byte[]> images, double eta, Batches batchMax) {
        List<FocusPayload> payloads = new ArrayList<>();
        for (int from = 0; from < images.size(); from += batchMax.localize()) {
            List<byte[]> batch = images.subList(from, Math.min(images.size(), from + batchMax.localize()));
            double[] etas = new double[batch.size()];
            Arrays.fill(etas, eta);
            for (LocalizationResult r : model.localize(batch, etas)) {
                if (!r.exits() && r.payload() != null) {
                    payloads.add(r.payload());
                }
            }
        }
        for (int from = 0; from < payloads.size(); from += batchMax.focus()) {
            model.focus(payloads.subList(from, Math.min(payloads.size(), from + batchMax.focus())));
        }
        return 1 - (double) payloads.size() / images.size();
    }

    private static void classify(ImageClassifier model, List<byte[]> images, double eta) {
        for (int from = 0; from < images.size(); from += CLASSIFY_BATCH) {
            model.classify(images.subList(from, Math.min(images.size(), from + CLASSIFY_BATCH)), eta);
        }
    }
}
