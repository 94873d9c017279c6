package io.lfvit.app.inference;

import ai.djl.Device;
import io.lfvit.app.config.AppConfig;
import io.lfvit.app.metrics.Metrics;
import io.lfvit.model.ModelConfig;
import io.lfvit.model.infer.Devices;
import io.lfvit.model.infer.FocusPayload;
import io.lfvit.model.infer.ImageClassifier;
import io.lfvit.model.infer.LocalizationResult;
import io.lfvit.model.infer.Prediction;
import io.lfvit.model.nn.Torch;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The process's model replicas, each on an inference thread of its own that loads it, turns autograd
 * off (PyTorch's grad mode is per thread) and runs its batches, whichever stream thread, stage or
 * application asks: an {@link ImageClassifier} is not thread-safe. A call takes whichever replica is
 * free and blocks until its batch is done, so a stream thread forwards the results in the same
 * transaction as the inputs they answer.
 *
 * <p>Why replicas: on a CPU, two batches on two single-threaded replicas answer ~10% more images per
 * second than one batch on two OpenMP threads (measured here: 160 vs 144 img/s for both LF-ViT stages,
 * 125 vs 116 for the ViT), and, what matters more when a broker and a second app share the cores, a
 * replica that loses its core for a moment delays only its own batch: an OpenMP team waits at every op
 * for its slowest thread. Replicas share nothing, so the cores go to whichever stage has work
 * (docs/pipeline-efficiency.md). On a GPU one replica is the default: the device does the parallel work.
 */
public final class InferenceExecutor implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(InferenceExecutor.class);

    static final String LOCALIZATION = "localization";
    static final String FOCUS = "focus";

    /** A model and the one thread that uses it. */
    private record Replica(ExecutorService thread, ImageClassifier classifier, String device, boolean gpu,
            String description) {}

    private final List<Replica> replicas;
    /** Replicas not running a batch; a caller takes one and gives it back. */
    private final BlockingQueue<Replica> idle;
    private volatile Metrics metrics;
    private static final java.lang.management.ThreadMXBean CPU = java.lang.management.ManagementFactory.getThreadMXBean();
    private volatile double slowdown = 1;

    private InferenceExecutor(List<Replica> replicas) {
        this.replicas = List.copyOf(replicas);
        this.idle = new ArrayBlockingQueue<>(replicas.size(), true, replicas);
    }

    /** Loads {@code model.dir} as the settings say: device, NGCA window, replicas and their intra-op threads. */
    public static InferenceExecutor load(AppConfig config) {
        Device device = Devices.resolve(config.device());
        int replicas = replicas(config.inferenceReplicas(), device);
        int threads = config.inferenceThreads() > 0 ? config.inferenceThreads()
                : Math.max(1, Runtime.getRuntime().availableProcessors() / replicas);
        InferenceExecutor executor = load(config.modelDir(), config.device(), config.modelWindow(), threads, replicas);
        executor.warmUp(config.batchMax(), config.focusBatchMax(executor.onGpu()));
        executor.slowdown = config.inferenceSlowdown(); // after the warm-up: it is the served batches that are slow
        if (executor.slowdown > 1) {
            LOG.warn("inference.slowdown {}: every model call takes {} times its own time (a simulated slower device)",
                    executor.slowdown, executor.slowdown);
        }
        return executor;
    }

    /**
     * Runs both stages a few times on random images at the batch sizes the apps will use, before the
     * first record: the JIT compiles the pre- and post-processing, and the engine sizes its buffers, so
     * the first images served do not pay for it (measured: the first few hundred images otherwise).
     */
    void warmUp(int batchMax, int focusBatchMax) {
        long t0 = System.nanoTime();
        for (Replica replica : replicas) {
            call(replica, c -> warmUp(c, batchMax, focusBatchMax));
        }
        LOG.info("model warm-up of {} replica(s) (batch sizes {}, {}, 1; focus batches of at most {}) took {} ms",
                replicas.size(), batchMax, Math.max(1, batchMax / 2), focusBatchMax, (System.nanoTime() - t0) / 1_000_000);
    }

    private static Void warmUp(ImageClassifier c, int batchMax, int focusBatchMax) {
        ModelConfig m = c.config();
        java.util.Random random = new java.util.Random(0);
        for (int round = 0; round < 3; round++) {
            for (int size : new int[] {batchMax, Math.max(1, batchMax / 2), 1}) {
                List<byte[]> images = new java.util.ArrayList<>(size);
                for (int i = 0; i < size; i++) {
                    byte[] pixels = new byte[m.channels() * m.imageSize() * m.imageSize()];
                    random.nextBytes(pixels);
                    images.add(pixels);
                }
                double[] nobodyExits = new double[size];
                java.util.Arrays.fill(nobodyExits, 2.0);
                List<FocusPayload> payloads = c.localize(images, nobodyExits).stream()
                        .map(LocalizationResult::payload).filter(java.util.Objects::nonNull).toList();
                for (int from = 0; from < payloads.size(); from += focusBatchMax) {
                    c.focus(payloads.subList(from, Math.min(payloads.size(), from + focusBatchMax)));
                }
            }
        }
        return null;
    }

    /**
     * The replicas setting resolved: 0 (auto) is one on a GPU, two on a CPU with two or more cores (two
     * batches in flight per stream thread keep them busy; more would need more buffered records).
     */
    static int replicas(int setting, Device device) {
        if (setting > 0) {
            return setting;
        }
        boolean gpu = device.isGpu();
        return gpu || Runtime.getRuntime().availableProcessors() < 2 ? 1 : 2;
    }

    /** Loads the bundle on one inference thread, on the device named by {@code deviceSetting}. */
    public static InferenceExecutor load(Path bundle, String deviceSetting) {
        return load(bundle, deviceSetting, 0);
    }

    /** As {@link #load(Path, String)}, localizing with an m x m window ({@code window} > 0, LF-ViT only). */
    public static InferenceExecutor load(Path bundle, String deviceSetting, int window) {
        return load(bundle, deviceSetting, window, 0, 1);
    }

    /** {@code replicas} copies of the bundle, {@code threads} intra-op threads each (0: PyTorch's default). */
    static InferenceExecutor load(Path bundle, String deviceSetting, int window, int threads, int replicas) {
        if (threads > 0) {
            // process-wide in PyTorch: every thread's first op takes the count in force then
            Torch.setThreads(threads);
        }
        List<Replica> loaded = new java.util.ArrayList<>(replicas);
        try {
            for (int i = 0; i < replicas; i++) {
                loaded.add(start(i, () -> loadOne(bundle, deviceSetting, window)));
            }
        } catch (RuntimeException e) {
            loaded.forEach(InferenceExecutor::close);
            throw e;
        }
        String note = replicas + " replica(s), " + Torch.threads() + " intra-op thread(s) each";
        LOG.info("inference: {}", note);
        System.err.printf("lfvit: inference device %s (setting '%s'), model %s, %s%n", loaded.get(0).device(),
                deviceSetting, loaded.get(0).description(), note);
        return new InferenceExecutor(loaded);
    }

    private static Loaded loadOne(Path bundle, String deviceSetting, int window) throws java.io.IOException {
        Device device = Devices.resolve(deviceSetting);
        ImageClassifier classifier = ImageClassifier.load(bundle, device);
        ModelConfig c = classifier.config();
        if (window > 0) {
            try {
                classifier.setWindow(window);
            } catch (IllegalArgumentException e) {
                classifier.close();
                throw new IllegalArgumentException("model.window " + window + " for " + bundle + ": "
                        + e.getMessage(), e);
            }
        }
        String windowNote = window > 0 ? ", window " + window + " (bundle: " + c.m() + ")" : "";
        LOG.info("inference on device {} (setting '{}'): model {} {} version {}, input {}x{}x{}, eta {}{}", device,
                deviceSetting, c.family(), bundle, c.version(), c.channels(), c.imageSize(), c.imageSize(), c.eta(),
                windowNote);
        return new Loaded(classifier, device.toString(), device.isGpu(), c.family() + " version " + c.version() + windowNote);
    }

    /** A replica's model as loaded on its thread, its device, and what the log says of it. */
    private record Loaded(ImageClassifier classifier, String device, boolean gpu, String description) {}

    /** Wraps a classifier made on an inference thread by {@code factory}, one replica (tests use fakes). */
    public static InferenceExecutor of(java.util.concurrent.Callable<ImageClassifier> factory) {
        return new InferenceExecutor(List.of(start(0, () -> {
            Torch.disableGradients();
            return new Loaded(factory.call(), "test", false, "test");
        })));
    }

    private static Replica start(int index, java.util.concurrent.Callable<Loaded> loader) {
        ExecutorService thread = Executors.newSingleThreadExecutor(r -> {
            Thread t = new Thread(r, index == 0 ? "lfvit-inference" : "lfvit-inference-" + index);
            t.setDaemon(true);
            return t;
        });
        try {
            Loaded loaded = thread.submit(loader).get();
            return new Replica(thread, loaded.classifier(), loaded.device(), loaded.gpu(), loaded.description());
        } catch (ExecutionException e) {
            thread.shutdownNow();
            Throwable cause = e.getCause();
            throw cause instanceof RuntimeException r ? r : new IllegalStateException("cannot load the model: " + cause, cause);
        } catch (InterruptedException e) {
            thread.shutdownNow();
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while loading the model", e);
        }
    }

    public ModelConfig config() {
        return replicas.get(0).classifier().config();
    }

    public boolean isTwoStage() {
        return replicas.get(0).classifier().isTwoStage();
    }

    public String device() {
        return replicas.get(0).device();
    }

    /** Whether the replicas run on a GPU (batch sizes differ: {@link AppConfig#focusBatchMax(boolean)}). */
    public boolean onGpu() {
        return replicas.get(0).gpu();
    }

    /** How many batches can run at once. */
    public int replicas() {
        return replicas.size();
    }

    /**
     * Records, summed over images, the time a batch waited for a free replica and the time the
     * model took ({@code lfvit_step_seconds_total{step="inference-wait"|"model"}}).
     */
    public void recordTimes(Metrics sink) {
        this.metrics = sink;
    }

    public List<LocalizationResult> localize(List<byte[]> images, double[] etas) {
        return timed(LOCALIZATION, images.size(), slowed(c -> c.localize(images, etas)));
    }

    public List<Prediction> focus(List<FocusPayload> payloads) {
        return timed(FOCUS, payloads.size(), slowed(c -> c.focus(payloads)));
    }

    /**
     * {@code job}, followed on its replica's thread by (slowdown - 1) x its own time of sleep: a device that
     * many times slower, as far as every caller can tell (the fault matrix's slow focus worker).
     */
    private <T> Function<ImageClassifier, T> slowed(Function<ImageClassifier, T> job) {
        double factor = slowdown;
        if (factor <= 1) {
            return job;
        }
        return c -> {
            long t0 = System.nanoTime();
            T result = job.apply(c);
            long until = System.nanoTime() + (long) ((factor - 1) * (System.nanoTime() - t0));
            for (long left = until - System.nanoTime(); left > 0; left = until - System.nanoTime()) {
                java.util.concurrent.locks.LockSupport.parkNanos(left);
            }
            return result;
        };
    }

    /** Every image of a batch waits for the whole batch: the times count once per image. */
    private <T> T timed(String stage, int images, Function<ImageClassifier, T> job) {
        Metrics sink = metrics;
        if (sink == null) {
            return run(job);
        }
        long submitted = System.nanoTime();
        long[] started = new long[2];
        T result = run(c -> {
            started[0] = System.nanoTime();
            started[1] = CPU.getCurrentThreadCpuTime();
            T r = job.apply(c);
            started[1] = CPU.getCurrentThreadCpuTime() - started[1];
            return r;
        });
        long done = System.nanoTime();
        sink.step(stage, "inference-wait", images * (started[0] - submitted));
        sink.step(stage, "model", images * (done - started[0]));
        // CPU time of the replica's thread itself: far below "model" means the model waited for a core
        sink.step(stage, "model-thread-cpu", images * started[1]);
        return result;
    }

    /** Runs {@code job} on a free replica's thread and waits; its exceptions are rethrown as they are. */
    public <T> T run(Function<ImageClassifier, T> job) {
        Replica replica;
        try {
            replica = idle.take();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while waiting for a model replica", e);
        }
        try {
            return call(replica, job);
        } finally {
            idle.add(replica);
        }
    }

    private static <T> T call(Replica replica, Function<ImageClassifier, T> job) {
        Future<T> future = replica.thread().submit(() -> job.apply(replica.classifier()));
        try {
            return future.get();
        } catch (ExecutionException e) {
            Throwable cause = e.getCause();
            if (cause instanceof RuntimeException r) {
                throw r;
            }
            if (cause instanceof Error err) {
                throw err;
            }
            throw new IllegalStateException(cause);
        } catch (InterruptedException e) {
            future.cancel(true);
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while waiting for inference", e);
        }
    }

    @Override
    public void close() {
        replicas.forEach(InferenceExecutor::close);
    }

    private static void close(Replica replica) {
        try {
            replica.thread().submit(replica.classifier()::close).get();
        } catch (Exception e) {
            LOG.warn("closing the classifier: {}", e.toString());
        }
        replica.thread().shutdownNow();
    }
}
