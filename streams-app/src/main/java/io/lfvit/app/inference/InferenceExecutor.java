package io.lfvit.app.inference;

import ai.djl.Device;
import io.lfvit.model.ModelConfig;
import io.lfvit.model.infer.Devices;
import io.lfvit.model.infer.FocusPayload;
import io.lfvit.model.infer.ImageClassifier;
import io.lfvit.model.infer.LocalizationResult;
import io.lfvit.model.infer.Prediction;
import io.lfvit.model.nn.Torch;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The process's one inference thread. It loads the model, turns autograd off (PyTorch's grad mode
 * is per thread) and runs every batch, whichever stream thread, stage or application asks: two Java
 * threads running torch ops slow each other down by ~65% on 2 cores (stack notes), and an
 * {@link ImageClassifier} is not thread-safe. Callers block until their batch is done, so a stream
 * thread forwards the results in the same transaction as the inputs they answer.
 */
public final class InferenceExecutor implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(InferenceExecutor.class);

    private final ExecutorService thread;
    private final ImageClassifier classifier;
    private final String device;

    private InferenceExecutor(ExecutorService thread, ImageClassifier classifier, String device) {
        this.thread = thread;
        this.classifier = classifier;
        this.device = device;
    }

    /** Loads the bundle on the inference thread, on the device named by {@code deviceSetting}. */
    public static InferenceExecutor load(Path bundle, String deviceSetting) {
        return load(bundle, deviceSetting, 0);
    }

    /** As {@link #load(Path, String)}, localizing with an m x m window ({@code window} > 0, LF-ViT only). */
    public static InferenceExecutor load(Path bundle, String deviceSetting, int window) {
        return start(() -> {
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
            System.err.printf("lfvit: inference device %s (setting '%s'), model %s version %s%s%n", device,
                    deviceSetting, c.family(), c.version(), windowNote);
            return new Loaded(classifier, device.toString());
        });
    }

    /** Wraps a classifier made on the inference thread by {@code factory} (tests use fakes). */
    public static InferenceExecutor of(java.util.concurrent.Callable<ImageClassifier> factory) {
        return start(() -> {
            Torch.disableGradients();
            return new Loaded(factory.call(), "test");
        });
    }

    private record Loaded(ImageClassifier classifier, String device) {}

    private static InferenceExecutor start(java.util.concurrent.Callable<Loaded> loader) {
        ExecutorService thread = Executors.newSingleThreadExecutor(r -> {
            Thread t = new Thread(r, "lfvit-inference");
            t.setDaemon(true);
            return t;
        });
        try {
            Loaded loaded = thread.submit(loader).get();
            return new InferenceExecutor(thread, loaded.classifier(), loaded.device());
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
        return classifier.config();
    }

    public boolean isTwoStage() {
        return classifier.isTwoStage();
    }

    public String device() {
        return device;
    }

    public List<LocalizationResult> localize(List<byte[]> images, double[] etas) {
        return run(c -> c.localize(images, etas));
    }

    public List<Prediction> focus(List<FocusPayload> payloads) {
        return run(c -> c.focus(payloads));
    }

    /** Runs {@code job} on the inference thread and waits; its exceptions are rethrown as they are. */
    public <T> T run(Function<ImageClassifier, T> job) {
        Future<T> future = thread.submit(() -> job.apply(classifier));
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
        try {
            thread.submit(classifier::close).get();
        } catch (Exception e) {
            LOG.warn("closing the classifier: {}", e.toString());
        }
        thread.shutdownNow();
    }
}
